//! Lookups the interface and link rules share: the closest known name to a
//! misspelt one, and which argument of a call stands for a parameter.

use super::catalogue::{self, Binding, Catalogue, Misfit};
use crate::model::{Arg, Call};

/// At most this many equally close candidates are offered; more, and none
/// of them is a likelier mend than the rest.
pub const MAX_TIED: usize = 3;

/// The candidate a misspelt `name` most likely stands for (see
/// [`closest_names`]), when exactly one is closest. `None` when nothing is
/// close, or when several are equally close: picking one would be a coin toss.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    unique(closest_names(name, candidates))
}

/// The candidates a misspelt `name` most likely stands for: the same name in
/// another case, else those within two typos (`pyhton` → `python`,
/// `flask_pattern` → `flask_patterns`) at the smallest distance, else those
/// that extend it (`fastapi` → `fastapi_patterns`). Several when they tie
/// (`flask_pattern` is one typo from both `flask_patterns` and
/// `flask_patterna`), sorted; empty when nothing is close, when `name` is
/// itself a candidate, or when more than [`MAX_TIED`] tie: a guess at a
/// distant name, or one among many, would mislead more than help.
pub fn closest_names<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let lower = name.to_lowercase();
    let chars = lower.chars().count();
    let limit = if chars <= 4 { 1 } else { 2 };
    let mut nearest = Nearest::default();
    let mut extending = Vec::new();
    for c in candidates {
        if c == name {
            return Vec::new();
        }
        let cl = c.to_lowercase();
        // The distance is at least the difference in length: a candidate
        // longer or shorter by more than `limit` needs no distance computed
        // (in a workspace of thousands of skills, nearly all of them).
        let d = if cl == lower {
            Some(0)
        } else if cl.chars().count().abs_diff(chars) > limit {
            None
        } else {
            Some(crate::text::edit_distance(&lower, &cl))
        };
        if let Some(d) = d.filter(|d| *d <= limit) {
            nearest.offer(d, c);
        }
        if cl.len() > lower.len() && cl.starts_with(&lower) && !lower.is_empty() {
            extending.push(c);
        }
    }
    settle(if nearest.items.is_empty() {
        extending
    } else {
        nearest.items
    })
}

/// Many names prepared for [`closest_names`] asked again and again: the
/// names of a workspace's skills, which SK210 searches for every unknown
/// skill a skill invokes. [`closest_names`] lower-cases and measures every
/// candidate on each call, so on a tree of thousands of skills each lookup
/// cost thousands of allocations; here the lower-cased names are kept
/// sorted (the names a query extends form one range) and grouped by length
/// in characters (only names within the typo limit in length are measured),
/// and a name whose characters differ from the query's by more than the limit
/// is passed over without measuring it (see [`Bag`]): on 30,000 skills the
/// names of about the same length are thousands per lookup, so most are
/// passed over by which of the bag's buckets they fill alone (one word,
/// [`Bag::filled`]) before their bag is compared.
#[derive(Debug, Default)]
pub struct NameIndex {
    /// The names, sorted by their lower-cased form (then as given).
    sorted: Vec<Indexed>,
    /// The [`Bag`] of each lower-cased name of `sorted`, in the same order.
    bags: Vec<Bag>,
    /// [`Bag::filled`] of each of `bags`, in the same order.
    filled: Vec<u64>,
    /// Length in characters of the lower-cased form → indexes into `sorted`.
    by_chars: std::collections::BTreeMap<usize, Vec<usize>>,
}

/// A name of a [`NameIndex`], lower-cased, and as given when that differs
/// (skill names are nearly all lower case: one string each, not two; the
/// index holds every skill of the workspace).
#[derive(Debug)]
struct Indexed {
    lower: Box<str>,
    given: Option<Box<str>>,
}

impl Indexed {
    fn name(&self) -> &str {
        self.given.as_deref().unwrap_or(&self.lower)
    }
}

impl NameIndex {
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> NameIndex {
        let mut sorted: Vec<Indexed> = names
            .into_iter()
            .map(|n| {
                let lower = n.to_lowercase();
                let given = (lower != n).then(|| Box::from(n));
                Indexed {
                    lower: lower.into_boxed_str(),
                    given,
                }
            })
            .collect();
        sorted.sort_by(|a, b| (&a.lower, a.name()).cmp(&(&b.lower, b.name())));
        let mut by_chars: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
        for (i, n) in sorted.iter().enumerate() {
            by_chars.entry(n.lower.chars().count()).or_default().push(i);
        }
        let bags: Vec<Bag> = sorted.iter().map(|n| Bag::of(&n.lower)).collect();
        let filled = bags.iter().map(Bag::filled).collect();
        NameIndex {
            sorted,
            bags,
            filled,
            by_chars,
        }
    }

    /// The names whose lower-cased form is `lower`: one range of `sorted`.
    fn lowered_to(&self, lower: &str) -> &[Indexed] {
        let from = self.sorted.partition_point(|n| &*n.lower < lower);
        let to = from + self.sorted[from..].partition_point(|n| &*n.lower == lower);
        &self.sorted[from..to]
    }

    /// [`closest_names`] of `name` among the indexed names: the same answer.
    pub fn closest_names(&self, name: &str) -> Vec<&str> {
        let lower = name.to_lowercase();
        // A name indexed as given is no typo.
        if self.lowered_to(&lower).iter().any(|n| n.name() == name) {
            return Vec::new();
        }
        let chars = lower.chars().count();
        let limit = if chars <= 4 { 1 } else { 2 };
        let bag = Bag::of(&lower);
        let filled = bag.filled();
        let mut nearest = Nearest::default();
        for (_, at) in self.by_chars.range(chars.saturating_sub(limit)..=chars + limit) {
            for &i in at {
                if Bag::filled_distance(filled, self.filled[i]) > limit || bag.distance(&self.bags[i]) > limit {
                    continue;
                }
                let n = &self.sorted[i];
                let d = if *n.lower == *lower {
                    0
                } else {
                    crate::text::edit_distance(&lower, &n.lower)
                };
                if d <= limit {
                    nearest.offer(d, n.name());
                }
            }
        }
        if !nearest.items.is_empty() {
            return settle(nearest.items);
        }
        if lower.is_empty() {
            return Vec::new();
        }
        let from = self.sorted.partition_point(|n| *n.lower < *lower);
        let extending = self.sorted[from..]
            .iter()
            .take_while(|n| n.lower.starts_with(&lower))
            .filter(|n| n.lower.len() > lower.len())
            .map(Indexed::name)
            .collect();
        settle(extending)
    }
}

/// How many of each character a name holds, characters hashed into 64
/// buckets (counts saturate at 255). An edit (insertion, deletion,
/// substitution) changes the counts by at most one character each way and a
/// transposition not at all, so the bag distance of two names is at most
/// their edit distance: a name whose bag distance exceeds the limit cannot
/// be within it. Sharing buckets only lowers the bag distance, so the test
/// never drops a name that is within the limit.
#[derive(Debug, Clone)]
struct Bag([u8; 64]);

impl Bag {
    fn of(name: &str) -> Bag {
        Bag::of_chars(name.chars())
    }

    fn of_chars(chars: impl Iterator<Item = char>) -> Bag {
        let mut counts = [0u8; 64];
        for c in chars {
            let bucket = ((c as u32).wrapping_mul(0x9E37_79B1) >> 26) as usize;
            counts[bucket] = counts[bucket].saturating_add(1);
        }
        Bag(counts)
    }

    /// Which buckets hold a character: bit `i` for bucket `i`.
    fn filled(&self) -> u64 {
        self.0
            .iter()
            .enumerate()
            .fold(0, |bits, (i, &count)| bits | (u64::from(count > 0) << i))
    }

    /// At most [`Bag::distance`] of the bags whose [`Bag::filled`] are `a`
    /// and `b`: a bucket only one of them fills holds at least one character
    /// beyond the other, so the buckets each fills alone are counted.
    fn filled_distance(a: u64, b: u64) -> usize {
        (a & !b).count_ones().max((b & !a).count_ones()) as usize
    }

    /// The larger of what either holds beyond the other.
    fn distance(&self, other: &Bag) -> usize {
        let (mut more, mut fewer) = (0usize, 0usize);
        for (a, b) in self.0.iter().zip(&other.0) {
            more += usize::from(a.saturating_sub(*b));
            fewer += usize::from(b.saturating_sub(*a));
        }
        more.max(fewer)
    }
}

/// The candidates of the smallest key offered so far: all of them on a tie.
struct Nearest<'a, K> {
    best: Option<K>,
    items: Vec<&'a str>,
}

impl<K> Default for Nearest<'_, K> {
    fn default() -> Self {
        Nearest {
            best: None,
            items: Vec::new(),
        }
    }
}

impl<'a, K: Ord> Nearest<'a, K> {
    fn offer(&mut self, key: K, item: &'a str) {
        match &self.best {
            Some(best) if key > *best => {}
            Some(best) if key == *best => self.items.push(item),
            _ => {
                self.best = Some(key);
                self.items = vec![item];
            }
        }
    }
}

/// The only element of `names`, if there is exactly one.
fn unique(names: Vec<&str>) -> Option<&str> {
    match names.as_slice() {
        [one] => Some(one),
        _ => None,
    }
}

/// Equally close names in a stable order, without repeats; none when too many tie.
fn settle(mut names: Vec<&str>) -> Vec<&str> {
    names.sort_unstable();
    names.dedup();
    if names.len() > MAX_TIED {
        names.clear();
    }
    names
}

/// The advice for a misspelt name: `` did you mean `a`? ``, or on a tie
/// `` did you mean `a` or `b`? `` (each shown through `show`).
pub fn did_you_mean(names: &[&str], show: impl Fn(&str) -> String) -> String {
    let shown: Vec<String> = names.iter().map(|n| format!("`{}`", show(n))).collect();
    if shown.is_empty() {
        return String::new();
    }
    format!("did you mean {}?", or_list(&shown))
}

/// `a`, `a or b`, `a, b or c`.
pub fn or_list(items: &[String]) -> String {
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// The words of a camelCase name as written, each starting at an upper-case
/// letter: `getDomainIndex` → `get`, `Domain`, `Index`. Compared by
/// [`same_word`], so no word is copied to lower-case it.
fn words(name: &str) -> Vec<&str> {
    word_iter(name).collect()
}

/// [`words`] one by one.
fn word_iter(name: &str) -> impl Iterator<Item = &str> {
    let mut rest = name;
    std::iter::from_fn(move || {
        let first = rest.chars().next()?;
        let len = rest[first.len_utf8()..]
            .find(char::is_uppercase)
            .map_or(rest.len(), |i| first.len_utf8() + i);
        let (word, after) = rest.split_at(len);
        rest = after;
        Some(word)
    })
}

/// Whether the lower case of `m` may be within `limit` edits of a name of
/// `lower_chars` characters whose lower case has the bag `lower_bag`: its
/// length and its bag are near enough.
fn may_be_typo(m: &str, lower_chars: usize, lower_bag: &Bag, limit: usize) -> bool {
    if !m.is_ascii() {
        let ml = m.to_lowercase();
        return ml.chars().count().abs_diff(lower_chars) <= limit && Bag::of(&ml).distance(lower_bag) <= limit;
    }
    // The length first: most methods are told apart by it alone.
    m.len().abs_diff(lower_chars) <= limit
        && Bag::of_chars(m.bytes().map(|b| char::from(b.to_ascii_lowercase()))).distance(lower_bag) <= limit
}

/// Whether two words are the same in lower case.
fn same_word(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

/// The defined method an undefined one most likely means (see
/// [`closest_methods`]), when exactly one is likeliest.
pub fn closest_method<'a>(name: &str, methods: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    unique(closest_methods(name, methods))
}

/// The defined methods an undefined one most likely means: a typo away, or
/// the same verb with words added or dropped (`getIndex` → `getDomainIndex`,
/// `updateSkillMemory` → `update`), typos first, then by edit distance.
/// Several when they tie (`getIndexes` is as near `getIndex` as
/// `getIndexed`), sorted; empty when none qualifies or more than
/// [`MAX_TIED`] tie. Methods with another verb never qualify
/// (`getSkillMemory` is no fix for `updateSkillMemory`: it reads instead of writing).
pub fn closest_methods<'a>(name: &str, methods: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let w = words(name);
    let lower = name.to_lowercase();
    let lower_chars = lower.chars().count();
    let lower_bag = Bag::of(&lower);
    let limit = if name.chars().count() <= 5 { 1 } else { 2 };
    let mut nearest = Nearest::default();
    for m in methods {
        if m == name {
            return Vec::new();
        }
        // A method of another verb is nested in nothing: its words are
        // split only when the verbs agree (checks ask this of every method
        // of an interface).
        let same_verb = match (word_iter(m).next(), w.first()) {
            (Some(a), Some(b)) => same_word(a, b),
            (a, b) => a.is_none() && b.is_none(),
        };
        let within = |few: &[&str], many: &[&str]| few.iter().all(|x| many.iter().any(|y| same_word(x, y)));
        let nested = same_verb && {
            let mw = words(m);
            within(&w, &mw) || within(&mw, &w)
        };
        // The distance is at least the difference in length, and at least
        // the bag distance: a method that is no typo by either alone, and
        // does not nest, is not measured. An ASCII name's lower case is
        // measured without being written.
        if !nested && !may_be_typo(m, lower_chars, &lower_bag, limit) {
            continue;
        }
        let ml = m.to_lowercase();
        let d = crate::text::edit_distance(&lower, &ml);
        let typo = d <= limit;
        if !(typo || nested) {
            continue;
        }
        // Typos first, then by edit distance.
        nearest.offer((usize::from(!typo), d), m);
    }
    settle(nearest.items)
}

/// The argument of a call that stands for one of the named parameters, under
/// the accepted form that fits it best (`None` for undefined methods, calls
/// whose arguments fit no form, and mentions).
pub fn arg_for<'c>(catalogue: &Catalogue, call: &'c Call, params: &[&str]) -> Option<&'c Arg> {
    if call.is_mention {
        return None;
    }
    bound_arg(&fit_of(catalogue, call)?.ok()?, call, params)
}

/// How a call's arguments fit its method: the best fitting form, or why
/// none fits (`catalogue::best_fit`); `None` for a method `catalogue` does
/// not define.
pub fn fit_of<'w>(catalogue: &'w Catalogue, call: &Call) -> Option<Result<Binding<'w>, Misfit>> {
    let method = catalogue.method(&call.receiver, &call.method)?;
    Some(catalogue::best_fit(method, &call.args))
}

/// [`arg_for`] under a binding of the call already found (`None` for mentions).
pub fn bound_arg<'c>(binding: &Binding, call: &'c Call, params: &[&str]) -> Option<&'c Arg> {
    if call.is_mention {
        return None;
    }
    binding.arg_for(&call.args, params)
}

/// A string argument's value when it is a literal, not a placeholder
/// (`"{project-name}"`, `"<skill>"`, `"$DOMAIN"`).
pub fn literal(arg: &Arg) -> Option<&str> {
    let s = arg.as_str()?;
    // On bytes (every mark is ASCII): asked of every argument rules read,
    // and a string search set up for `...` cost more than an argument's length.
    let placeholder = s.is_empty()
        || s.bytes().any(|b| matches!(b, b'{' | b'}' | b'<' | b'>' | b'$' | b'*'))
        || s.as_bytes().windows(3).any(|w| w == b"...");
    (!placeholder).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first form of [`closest_methods`]: every method's words split
    /// and its lower case written.
    fn closest_methods_copying<'a>(name: &str, methods: &[&'a str]) -> Vec<&'a str> {
        let w = words(name);
        let lower = name.to_lowercase();
        let lower_chars = lower.chars().count();
        let lower_bag = Bag::of(&lower);
        let limit = if name.chars().count() <= 5 { 1 } else { 2 };
        let mut nearest = Nearest::default();
        for &m in methods {
            if m == name {
                return Vec::new();
            }
            let mw = words(m);
            let same_verb = match (mw.first(), w.first()) {
                (Some(a), Some(b)) => same_word(a, b),
                (a, b) => a.is_none() && b.is_none(),
            };
            let within = |few: &[&str], many: &[&str]| few.iter().all(|x| many.iter().any(|y| same_word(x, y)));
            let nested = same_verb && (within(&w, &mw) || within(&mw, &w));
            let ml = m.to_lowercase();
            if !nested
                && (ml.chars().count().abs_diff(lower_chars) > limit || Bag::of(&ml).distance(&lower_bag) > limit)
            {
                continue;
            }
            let d = crate::text::edit_distance(&lower, &ml);
            let typo = d <= limit;
            if !(typo || nested) {
                continue;
            }
            nearest.offer((usize::from(!typo), d), m);
        }
        settle(nearest.items)
    }

    proptest::proptest! {
        /// Measuring ASCII names in place and splitting words only for the
        /// same verb finds what the copying form finds.
        #[test]
        fn closest_methods_answer_as_the_copying_form(
            name in "(get|set|upd|Get)?[a-cA-CΣİ]{0,7}",
            methods in proptest::collection::vec("(get|set|upd|Get)?[a-cA-CΣİ]{0,7}", 0..8),
        ) {
            let methods: Vec<&str> = methods.iter().map(String::as_str).collect();
            proptest::prop_assert_eq!(
                closest_methods(&name, methods.iter().copied()),
                closest_methods_copying(&name, &methods)
            );
        }
    }

    #[test]
    fn closest_known_names() {
        let domains = ["python", "dotnet", "security", "schema"];
        assert_eq!(closest("pyhton", domains), Some("python"));
        assert_eq!(closest("Python", domains), Some("python"));
        assert_eq!(closest("database", domains), None);
        assert_eq!(closest("python", domains), None);
        assert_eq!(
            closest("flask_pattern", ["flask_patterns", "fastapi_patterns"]),
            Some("flask_patterns")
        );
        assert_eq!(
            closest("fastapi", ["flask_patterns", "fastapi_patterns"]),
            Some("fastapi_patterns")
        );
    }

    /// The words of a camelCase name lower-cased into new strings, as they
    /// were first compared.
    fn lower_words(name: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for c in name.chars() {
            if c.is_uppercase() || out.is_empty() {
                out.push(String::new());
            }
            if let Some(w) = out.last_mut() {
                w.extend(c.to_lowercase());
            }
        }
        out
    }

    fn lower(word: &str) -> String {
        word.chars().flat_map(char::to_lowercase).collect()
    }

    proptest::proptest! {
        /// Words taken as written and compared in lower case are the words
        /// lower-cased into strings.
        #[test]
        fn words_compare_as_their_lower_case_copies(a in "[aAbBİıßẞΣσς_1]{0,8}", b in "[aAbBİıßẞΣσς_1]{0,8}") {
            let (wa, wb) = (words(&a), words(&b));
            proptest::prop_assert_eq!(wa.iter().map(|w| lower(w)).collect::<Vec<_>>(), lower_words(&a));
            for (x, y) in wa.iter().zip(&wb) {
                proptest::prop_assert_eq!(same_word(x, y), lower(x) == lower(y));
            }
            proptest::prop_assert_eq!(same_word(&a, &b), lower(&a) == lower(&b));
        }
    }

    #[test]
    fn closest_methods_keep_the_verb() {
        let cp = [
            "getCatalog",
            "getDomainIndex",
            "getAlwaysLoadFiles",
            "getConditionalContext",
            "search",
        ];
        assert_eq!(closest_method("getIndex", cp), Some("getDomainIndex"));
        assert_eq!(closest_method("getDomainIdnex", cp), Some("getDomainIndex"));
        assert_eq!(closest_method("getByTags", cp), None);
        assert_eq!(closest_method("loadDomains", cp), None);
        let ms = ["getSkillMemory", "update", "append", "read"];
        assert_eq!(closest_method("updateSkillMemory", ms), Some("update"));
        assert_eq!(closest_method("load", ms), None);
    }

    #[test]
    fn equally_close_names_tie() {
        let topics = ["flask_patterna", "flask_patterns", "django_patterns"];
        assert_eq!(
            closest_names("flask_pattern", topics),
            ["flask_patterna", "flask_patterns"]
        );
        assert_eq!(closest("flask_pattern", topics), None, "a tie is no single guess");
        // The nearer of the two wins outright.
        assert_eq!(
            closest_names("flask_patterns_", ["flask_patterns", "flask_patterna"]),
            ["flask_patterns"]
        );
        // Names that extend it tie too; too many say nothing.
        assert_eq!(
            closest_names("fastapi", ["fastapi_patterns", "fastapi_testing"]),
            ["fastapi_patterns", "fastapi_testing"]
        );
        assert!(closest_names("ab", ["aa", "bb", "ac", "xb", "ab_c"]).is_empty());
        assert!(closest_names("flask_pattern", ["flask_pattern", "flask_patterns"]).is_empty());
    }

    proptest::proptest! {
        /// The index answers as the plain search over the same names does,
        /// on names drawn from a small alphabet (so typos, cases, prefixes
        /// and ties are common).
        #[test]
        fn the_name_index_answers_as_the_plain_search(
            names in proptest::collection::vec("[abAB_-]{0,7}", 0..24),
            query in "[abAB_-]{0,8}",
        ) {
            let index = NameIndex::new(names.iter().map(String::as_str));
            let mut distinct = names.clone();
            distinct.sort();
            distinct.dedup();
            proptest::prop_assert_eq!(
                index.closest_names(&query),
                closest_names(&query, distinct.iter().map(String::as_str))
            );
        }

        /// Counting the buckets each bag fills alone never exceeds the bag
        /// distance it filters before.
        #[test]
        fn the_filled_buckets_distance_is_at_most_the_bag_distance(a in "[a-z😀_-]{0,12}", b in "[a-z😀_-]{0,12}") {
            let (a, b) = (Bag::of(&a), Bag::of(&b));
            proptest::prop_assert!(Bag::filled_distance(a.filled(), b.filled()) <= a.distance(&b));
        }

        /// The bag distance the index filters by never exceeds the edit
        /// distance it stands in for (any characters, any case).
        #[test]
        fn the_bag_distance_is_at_most_the_edit_distance(a in "[a-dé😀_-]{0,9}", b in "[a-dé😀_-]{0,9}") {
            proptest::prop_assert!(
                Bag::of(&a).distance(&Bag::of(&b)) <= strsim::damerau_levenshtein(&a, &b)
            );
        }
    }

    #[test]
    fn equally_close_methods_tie() {
        let ms = ["getIndexes", "getIndexed", "getCatalog"];
        assert_eq!(closest_methods("getIndex", ms), ["getIndexed", "getIndexes"]);
        assert_eq!(closest_method("getIndex", ms), None);
        // A typo ranks before a nested name at any distance.
        let ms = ["getDomainIndex", "getTopicIndex", "getIndx"];
        assert_eq!(closest_methods("getIndex", ms), ["getIndx"]);
        // Nested names at one distance tie.
        let ms = ["getDomainIndex", "getDomainIndexes", "getRootIndex", "getLeafIndex"];
        assert_eq!(closest_methods("getIndex", ms), ["getLeafIndex", "getRootIndex"]);
    }

    #[test]
    fn advice_names_every_tied_candidate() {
        assert_eq!(did_you_mean(&["a"], str::to_string), "did you mean `a`?");
        assert_eq!(did_you_mean(&["a", "b"], str::to_string), "did you mean `a` or `b`?");
        assert_eq!(
            did_you_mean(&["a", "b", "c"], |n| format!("{n}.md")),
            "did you mean `a.md`, `b.md` or `c.md`?"
        );
        assert_eq!(did_you_mean(&[], str::to_string), "");
    }
}
