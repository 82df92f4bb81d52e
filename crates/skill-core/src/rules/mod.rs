//! The rule registry: every rule of the catalogue, one module each.
//!
//! A rule is a value: its code, name, default severity, whether it has a fix,
//! its documentation, and its check function. `skill-lsp explain`, the
//! editor and the CLI all read this one list.

use std::cell::{Cell, OnceCell};

use crate::config::Config;
use crate::content::candidates::Candidates;
use crate::content::payload::{self, Payload};
use crate::content::secrets::{self, Secret};
use crate::diagnostic::{Diagnostic, Related, Severity};
use crate::fix::Fix;
use crate::model::{Arg, Call, SkillDoc};
use crate::profile::{Profile, Profiles};
use crate::text::TextRange;
use crate::workspace::catalogue::{Binding, Misfit};
use crate::workspace::links::{self, LinkTarget};
use crate::workspace::{lookup, Workspace};

/// Whether a rule can mend what it finds, and how safely: what `explain`
/// and the rule list tell before any finding is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixAvailability {
    None,
    /// Its fixes are safe: `check --fix` applies them.
    Safe,
    /// Its fixes are unsafe (they change meaning or write blanks to fill):
    /// only `check --unsafe-fixes` or a quick fix in the editor applies them.
    Unsafe,
    /// Safe for some findings, unsafe for others (or a choice between
    /// equally plausible mends, which no bulk fix applies).
    Sometimes,
}

impl FixAvailability {
    /// Whether the rule has a fix at all.
    pub fn any(self) -> bool {
        self != FixAvailability::None
    }
}

/// What a check function sees. What several rules derive from the same
/// document (its profile, the schema's findings on its front matter, where
/// each of its links points) is worked out once per check, on first use,
/// and shared.
pub struct RuleCtx<'a> {
    pub doc: &'a SkillDoc,
    pub ws: &'a Workspace,
    pub config: &'a Config,
    profile: OnceCell<Profile>,
    schema_problems: OnceCell<Vec<crate::schema::SchemaProblem>>,
    link_targets: OnceCell<Vec<LinkTarget>>,
    fits: OnceCell<Vec<Option<Result<Binding<'a>, Misfit>>>>,
    /// What each block holds for the content scans, found on first use.
    candidates: OnceCell<Vec<Cell<Option<Candidates>>>>,
    /// Whether the block rules read every block ([`RuleCtx::blocks_alone`]).
    every_block: Cell<bool>,
    /// Where a secret may start in the whole text ([`secrets::starts`]).
    secret_starts: OnceCell<Vec<usize>>,
    /// The encoded payloads of every block ([`payload::scan_blocks`]).
    payloads: OnceCell<Vec<Payload>>,
    /// The document's links that have a title ([`RuleCtx::titled_links`]).
    titled_links: OnceCell<Vec<&'a crate::syntax::markdown::Link>>,
    suppressions: OnceCell<Vec<crate::model::suppressions::Directive>>,
    declared_domains: OnceCell<(Vec<String>, Vec<String>)>,
    style: OnceCell<crate::authoring::Style>,
}

impl<'a> RuleCtx<'a> {
    pub fn new(doc: &'a SkillDoc, ws: &'a Workspace, config: &'a Config) -> RuleCtx<'a> {
        RuleCtx {
            doc,
            ws,
            config,
            profile: OnceCell::new(),
            schema_problems: OnceCell::new(),
            link_targets: OnceCell::new(),
            fits: OnceCell::new(),
            candidates: OnceCell::new(),
            every_block: Cell::new(true),
            secret_starts: OnceCell::new(),
            payloads: OnceCell::new(),
            titled_links: OnceCell::new(),
            suppressions: OnceCell::new(),
            declared_domains: OnceCell::new(),
            style: OnceCell::new(),
        }
    }

    /// Says that the block rules will read only some blocks (those an edit
    /// touched): what the content scans need is then found block by block
    /// as asked, not for the whole text at once.
    pub(crate) fn blocks_alone(&self) {
        self.every_block.set(false);
    }

    /// The document's suppression comments ([`suppressions`]), found once
    /// for SK902 and for applying them.
    pub fn suppressions(&self) -> &[crate::model::suppressions::Directive] {
        self.suppressions.get_or_init(|| suppressions(self.doc))
    }

    /// The document's primary and secondary domains
    /// ([`SkillDoc::declared_domains`]), read once for the rules that ask.
    pub fn declared_domains(&self) -> (&[String], &[String]) {
        let (primary, listed) = self.declared_domains.get_or_init(|| self.doc.declared_domains());
        (primary, listed)
    }

    /// The style the document's steps are written in
    /// ([`crate::authoring::Style::of`]), read once for the rules
    /// whose fixes write steps.
    pub(crate) fn style(&self) -> &crate::authoring::Style {
        self.style.get_or_init(|| crate::authoring::Style::of(self.doc))
    }

    /// The profile the document is checked in ([`Profile::resolve`]).
    pub fn profile(&self) -> Profile {
        *self
            .profile
            .get_or_init(|| Profile::resolve(self.doc, self.ws, self.config))
    }

    /// The front matter schema of the document's profile.
    pub fn schema(&self) -> &'static crate::schema::Schema {
        crate::schema::for_profile(self.profile())
    }

    /// What the profile's schema finds wrong with the document's front
    /// matter, for the clients the config counts
    /// ([`crate::schema::Schema::check_front_matter_for`]); empty without one.
    /// SK003, SK004 and SK005 each report one kind of these.
    pub fn schema_problems(&self) -> &[crate::schema::SchemaProblem] {
        self.schema_problems.get_or_init(|| match &self.doc.front_matter {
            Some(fm) => self.schema().check_front_matter_for(fm, self.config.clients),
            None => Vec::new(),
        })
    }

    /// Where each of the document's links points ([`links::resolve`]), in
    /// the order of `doc.md.links`.
    pub fn link_targets(&self) -> &[LinkTarget] {
        self.link_targets.get_or_init(|| {
            let resolver = links::Resolver::new(self.ws, self.doc.dir());
            // A destination written again (the same reference file linked
            // from several steps) is resolved once: resolving joins,
            // normalises and decodes a path, and asks the workspace's files.
            // Each destination maps to its first link's place, in a tree:
            // a skill has a few links, and hashing each destination cost
            // more than comparing it with a few others.
            let links = &self.doc.md.links;
            let mut seen: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
            let mut targets: Vec<LinkTarget> = Vec::with_capacity(links.len());
            for l in links {
                let target = match seen.entry(&l.dest) {
                    std::collections::btree_map::Entry::Occupied(first) => targets[*first.get()].clone(),
                    std::collections::btree_map::Entry::Vacant(v) => {
                        v.insert(targets.len());
                        resolver.resolve(&l.dest)
                    }
                };
                targets.push(target);
            }
            targets
        })
    }

    /// How a call of the document binds to its method ([`lookup::fit_of`]):
    /// worked out once per call and check, since six rules ask which
    /// argument stands for a parameter and SK202 whether the arguments fit.
    /// `None` for a method the workspace does not define.
    fn fit(&self, call: &Call) -> Option<&Result<Binding<'a>, Misfit>> {
        let calls = &self.doc.calls;
        let fits = self
            .fits
            .get_or_init(|| calls.iter().map(|c| lookup::fit_of(&self.ws.catalogue, c)).collect());
        // The calls are in text order: found by where they start.
        let i = calls.partition_point(|c| c.range.start < call.range.start);
        let i = (i..calls.len())
            .take_while(|&i| calls[i].range.start == call.range.start)
            .find(|&i| std::ptr::eq(&calls[i], call))?;
        fits[i].as_ref()
    }

    /// The argument of one of the document's calls that stands for one of
    /// the named parameters: [`lookup::arg_for`], from the bindings kept.
    pub fn arg_for<'c>(&self, call: &'c Call, params: &[&str]) -> Option<&'c Arg> {
        if !self.is_own(call) {
            return lookup::arg_for(&self.ws.catalogue, call, params);
        }
        lookup::bound_arg(self.fit(call)?.as_ref().ok()?, call, params)
    }

    /// Why the arguments of one of the document's calls fit no form of its
    /// method ([`crate::workspace::catalogue::best_fit`]'s error), from the
    /// bindings kept; `None` when they fit or the method is undefined.
    pub fn misfit(&self, call: &Call) -> Option<Misfit> {
        if !self.is_own(call) {
            return lookup::fit_of(&self.ws.catalogue, call)?.err();
        }
        self.fit(call)?.as_ref().err().cloned()
    }

    /// Whether `call` is one of the document's own (not a copy).
    fn is_own(&self, call: &Call) -> bool {
        self.doc.calls.as_ptr_range().contains(&std::ptr::from_ref(call))
    }
}

/// A rule whose findings are each inside one block of the text (see
/// [`SkillDoc::blocks`]) and depend only on that block's text and parse, and
/// on whether the block starts the text (SK601: a U+FEFF there is a byte
/// order mark): what it finds
/// in a block an edit did not touch is what it found there before, so the
/// analysis reuses it between keystrokes instead of reading the whole text
/// again. Its [`Rule::check`] is [`RuleCtx::each_block`] over `check_block`,
/// so a full check and a reused one cannot differ.
pub struct BlockRule {
    pub code: &'static str,
    /// Reports what the rule finds in one block (findings start in it).
    pub check_block: fn(&RuleCtx, Block, &mut Sink),
}

/// One of a document's [`SkillDoc::blocks`], as a block rule is given it.
#[derive(Debug, Clone, Copy)]
pub struct Block {
    pub range: TextRange,
    /// Its place in [`RuleCtx::blocks`].
    pub(crate) index: usize,
}

/// The rules checked block by block.
pub static BLOCK_RULES: &[&BlockRule] = &[
    &sk123_placeholder_left::BLOCKS,
    &sk508_personal_path::BLOCKS,
    &sk601_hidden_unicode::BLOCKS,
    &sk603_hidden_instruction::BLOCKS,
    &sk604_encoded_payload::BLOCKS,
    &sk605_secret::BLOCKS,
];

/// The part of `items` (in text order) that starts in `block`.
pub fn in_block<T>(items: &[T], range: impl Fn(&T) -> TextRange, block: TextRange) -> &[T] {
    let first = items.partition_point(|x| range(x).start < block.start);
    let last = items.partition_point(|x| range(x).start < block.end);
    &items[first..last.max(first)]
}

impl<'a> RuleCtx<'a> {
    /// The document's blocks ([`SkillDoc::blocks`]).
    pub fn blocks(&self) -> &[TextRange] {
        &self.doc.blocks
    }

    /// Whether `block` (one of [`RuleCtx::blocks`]) holds a candidate of
    /// `kind` for the content scans ([`Candidates`]): one pass over the
    /// block answers every rule.
    pub fn block_has(&self, block: Block, kind: u8) -> bool {
        // Asked several times of every block by the block rules: the
        // answer found before is read without entering the finding of it.
        let known = self.candidates.get().and_then(|memo| memo[block.index].get());
        known.unwrap_or_else(|| self.find_candidates(block)).has(kind)
    }

    /// What `block` holds for the content scans, found and kept: with
    /// those of every block at once when the block rules read every block.
    #[cold]
    fn find_candidates(&self, block: Block) -> Candidates {
        let memo = self.candidates.get_or_init(|| {
            if self.every_block.get() {
                let found = Candidates::of_blocks(&self.doc.text, self.blocks());
                found.into_iter().map(|c| Cell::new(Some(c))).collect()
            } else {
                self.blocks().iter().map(|_| Cell::new(None)).collect()
            }
        });
        memo[block.index].get().unwrap_or_else(|| {
            let found = Candidates::of(&self.doc.text[block.range.start..block.range.end]);
            memo[block.index].set(Some(found));
            found
        })
    }

    /// The credentials in `block` ([`secrets::scan`]). When every block is
    /// read, the places a secret may start are found in one search of the
    /// whole text, not one per block (starting a search costs more than a
    /// paragraph's worth of it).
    pub fn secrets_in(&self, block: Block) -> Vec<Secret> {
        let text = &self.doc.text;
        if !self.every_block.get() {
            return secrets::scan(text, block.range);
        }
        let all = self
            .secret_starts
            .get_or_init(|| secrets::starts(text, TextRange::new(0, text.len())));
        let starts = in_block(all, |&s| TextRange::new(s, s), block.range);
        if starts.is_empty() {
            return Vec::new(); // nearly every block: no scan to set up
        }
        secrets::scan_from(text, block.range, starts.iter().copied())
    }

    /// The encoded payloads in `block` ([`payload::scan`]). When every
    /// block is read, those of every block are found at once
    /// ([`payload::scan_blocks`]: one pass over the text) and kept.
    pub fn payloads_in(&self, block: Block) -> Vec<Payload> {
        let text = &self.doc.text;
        if !self.every_block.get() {
            return payload::scan(text, block.range);
        }
        let all = self.payloads.get_or_init(|| payload::scan_blocks(text, self.blocks()));
        in_block(all, |p| p.range, block.range).to_vec()
    }

    /// The document's links that have a title, in text order: few
    /// documents have any, so a block rule asking for those in a block
    /// (SK603) searches none instead of every link, block by block.
    pub fn titled_links(&self) -> &[&'a crate::syntax::markdown::Link] {
        let doc = self.doc;
        self.titled_links
            .get_or_init(|| doc.md.links.iter().filter(|l| !l.title.is_empty()).collect())
    }

    /// Runs a block rule's `check_block` on every block of the document:
    /// the [`Rule::check`] of a [`BlockRule`].
    pub fn each_block(&self, sink: &mut Sink, check_block: fn(&RuleCtx, Block, &mut Sink)) {
        for (index, &range) in self.blocks().iter().enumerate() {
            check_block(self, Block { range, index }, sink);
        }
    }
}

/// Collects one rule's findings; code and severity are filled in by the runner.
pub struct Sink {
    code: &'static str,
    severity: Severity,
    out: Vec<Diagnostic>,
}

impl Sink {
    pub(crate) fn new(code: &'static str, severity: Severity) -> Sink {
        Sink::with_buffer(code, severity, Vec::new())
    }

    /// A sink writing into `buffer`, emptied first (its room is kept).
    pub(crate) fn with_buffer(code: &'static str, severity: Severity, mut buffer: Vec<Diagnostic>) -> Sink {
        buffer.clear();
        Sink {
            code,
            severity,
            out: buffer,
        }
    }

    /// Reports a finding without a fix.
    pub fn report(&mut self, range: TextRange, message: impl Into<String>) {
        self.report_fix(range, message, None);
    }

    /// Reports a finding with an optional fix.
    pub fn report_fix(&mut self, range: TextRange, message: impl Into<String>, fix: Option<Fix>) {
        self.out.push(Diagnostic {
            code: self.code,
            severity: self.severity,
            range,
            message: message.into(),
            fix,
            related: Vec::new(),
        });
    }

    /// Reports a finding that involves other places too (an optional fix).
    pub fn report_related(
        &mut self,
        range: TextRange,
        message: impl Into<String>,
        fix: Option<Fix>,
        related: Vec<Related>,
    ) {
        self.report_fix(range, message, fix);
        if let Some(d) = self.out.last_mut() {
            d.related = related;
        }
    }

    /// A finding made before (reused by the analysis).
    pub(crate) fn push(&mut self, d: Diagnostic) {
        debug_assert_eq!((d.code, d.severity), (self.code, self.severity));
        self.out.push(d);
    }

    pub(crate) fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.out
    }
}

/// One rule of the catalogue.
pub struct Rule {
    /// Stable code, never reused: `SK102`.
    pub code: &'static str,
    /// Kebab-case name: `missing-step`.
    pub name: &'static str,
    pub severity: Severity,
    pub fix: FixAvailability,
    /// One line: when the rule fires.
    pub summary: &'static str,
    /// Markdown: what it checks, why it matters, an example and the fix.
    pub docs: &'static str,
    /// The profiles the rule applies to: format-generic rules (front matter
    /// syntax, links) to all, the workflow's rules to `workflow` only.
    pub profiles: Profiles,
    pub check: fn(&RuleCtx, &mut Sink),
}

impl Rule {
    /// Whether the rule runs on documents checked in `profile`.
    pub fn applies_to(&self, profile: Profile) -> bool {
        self.profiles.contains(profile)
    }
}

/// The rules that run in `profile`, in code order.
pub fn for_profile(profile: Profile) -> impl Iterator<Item = &'static Rule> {
    ALL.iter().copied().filter(move |r| r.applies_to(profile))
}

impl Config {
    /// Parses the TOML text of a `skill-lsp.toml` that extends nothing; a
    /// rule under `[rules]` must be one of [`ALL`], named by code or name.
    pub fn from_toml(text: &str) -> Result<Config, Vec<crate::config::ConfigError>> {
        Config::from_toml_with(text, &registry_code)
    }

    /// Reads a config from the files of its `extend` chain, the config
    /// itself first ([`Config::read_with`] with the rules' registry).
    pub fn read(
        sources: &[crate::config::ConfigSource],
        root_is_folder: &dyn Fn(&str) -> bool,
    ) -> Result<Config, Vec<crate::config::ConfigError>> {
        Config::read_with(sources, &registry_code, root_is_folder)
    }

    /// The address of a rule's documentation page.
    pub fn docs_url(&self, rule: &Rule) -> String {
        docs_url(self.docs_url.as_deref().unwrap_or(DEFAULT_DOCS_URL), rule)
    }
}

/// The code of the rule named by `name` (a code in any case, or a name).
fn registry_code(name: &str) -> Option<String> {
    find(name).map(|r| r.code.to_string())
}

/// One rule's documentation page: a header of facts, then its Markdown docs.
/// `skill-lsp explain CODE` prints it and `docs/rules/CODE.md` is it, word
/// for word (a test compares them).
pub fn page(rule: &Rule) -> String {
    let fix = match rule.fix {
        FixAvailability::None => "none",
        FixAvailability::Safe => "safe (`skill-lsp check --fix`, or a quick fix in the editor)",
        FixAvailability::Unsafe => {
            "unsafe (`skill-lsp check --unsafe-fixes`, or a quick fix in the editor; `--fix` leaves it to you)"
        }
        FixAvailability::Sometimes => {
            "safe for some findings (`skill-lsp check --fix`), unsafe for others (`--unsafe-fixes`, or a quick fix in the editor)"
        }
    };
    let profiles: Vec<&str> = rule.profiles.list().into_iter().map(|p| p.as_str()).collect();
    format!(
        "# {} {}\n\nSeverity: {}\nFix: {}\nProfiles: {}\nWhen: {}\n\n{}\n",
        rule.code,
        rule.name,
        rule.severity.as_str(),
        fix,
        profiles.join(", "),
        rule.summary,
        rule.docs.trim_end()
    )
}

/// Where a rule's page is published when `skill-lsp.toml` names no other
/// place (`docs_url`): the page in the repository's `docs/rules/`.
pub const DEFAULT_DOCS_URL: &str = "https://github.com/skill-lsp/skill-lsp/blob/main/docs/rules/{code}.md";

/// The address of `rule`'s page under a URL template: `{code}` becomes the
/// code (`SK104`), `{name}` the name (`too-many-steps`).
pub fn docs_url(template: &str, rule: &Rule) -> String {
    template.replace("{code}", rule.code).replace("{name}", rule.name)
}

/// The suppression comments of `doc`, each rule they name resolved against
/// [`ALL`] (by [`find`]).
pub fn suppressions(doc: &SkillDoc) -> Vec<crate::model::suppressions::Directive> {
    crate::model::suppressions::directives(doc, &|name| find(name).map(|r| r.code))
}

/// Finds a rule by code (case-insensitive) or name.
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    ALL.iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
}

// The example rule CONTRIBUTING.md shows; compiled and tested, never registered.
#[cfg(test)]
mod example_rule;
mod sk001_front_matter_missing;
mod sk002_yaml_syntax;
mod sk003_schema_violation;
mod sk004_required_key_missing;
mod sk005_unknown_key;
mod sk006_name_folder_mismatch;
mod sk007_duplicate_key;
mod sk008_front_matter_limits;
mod sk009_file_budget_exceeded;
mod sk010_legacy_shape;
mod sk101_workflow_missing;
mod sk102_step_missing;
mod sk103_step_numbering;
mod sk104_too_many_steps;
mod sk105_step_without_instructions;
mod sk106_step_without_gate;
mod sk107_mixed_step_styles;
mod sk108_stray_step_list;
mod sk111_checklist_missing;
mod sk112_checklist_item_missing;
mod sk113_checklist_item_extra;
mod sk114_checklist_item_ticked;
mod sk121_section_missing;
mod sk122_title_count;
mod sk123_placeholder_left;
mod sk124_step_count_promise;
mod sk201_unknown_method;
mod sk202_call_arguments;
mod sk203_skill_name_argument;
mod sk204_domain_argument;
mod sk205_step_interface_use;
mod sk206_memory_files_mismatch;
mod sk207_unknown_receiver;
mod sk208_unknown_domain;
mod sk209_unknown_topic;
mod sk210_unknown_skill;
mod sk211_invocation_cycle;
mod sk301_broken_link;
mod sk302_broken_fragment;
mod sk303_interface_not_linked;
mod sk401_version_mismatch;
mod sk402_history_date;
mod sk403_output_path_name;
pub(crate) mod sk501_body_too_long;
mod sk502_file_reference_missing;
mod sk503_description_without_when;
mod sk504_profile_override_unknown;
mod sk505_duplicate_name;
mod sk506_description_cut_off;
mod sk507_body_too_many_tokens;
mod sk508_personal_path;
mod sk509_name_reserved_word;
mod sk510_skill_fragment;
mod sk511_unknown_tool;
mod sk512_tool_pattern_invalid;
mod sk513_model_unknown;
mod sk601_hidden_unicode;
mod sk602_hidden_unicode_bundled;
mod sk603_hidden_instruction;
mod sk604_encoded_payload;
mod sk605_secret;
mod sk606_unrestricted_tools;
mod sk607_dynamic_context_download;
mod sk608_side_effects_auto_invocable;
mod sk609_unreferenced_file;
mod sk610_evals_invalid;
mod sk611_unclosed_code_fence;
pub(crate) mod sk901_unused_suppression;
mod sk902_suppression_invalid;

/// Every rule, in code order.
pub static ALL: &[&Rule] = &[
    &sk001_front_matter_missing::RULE,
    &sk002_yaml_syntax::RULE,
    &sk003_schema_violation::RULE,
    &sk004_required_key_missing::RULE,
    &sk005_unknown_key::RULE,
    &sk006_name_folder_mismatch::RULE,
    &sk007_duplicate_key::RULE,
    &sk008_front_matter_limits::RULE,
    &sk009_file_budget_exceeded::RULE,
    &sk010_legacy_shape::RULE,
    &sk101_workflow_missing::RULE,
    &sk102_step_missing::RULE,
    &sk103_step_numbering::RULE,
    &sk104_too_many_steps::RULE,
    &sk105_step_without_instructions::RULE,
    &sk106_step_without_gate::RULE,
    &sk107_mixed_step_styles::RULE,
    &sk108_stray_step_list::RULE,
    &sk111_checklist_missing::RULE,
    &sk112_checklist_item_missing::RULE,
    &sk113_checklist_item_extra::RULE,
    &sk114_checklist_item_ticked::RULE,
    &sk121_section_missing::RULE,
    &sk122_title_count::RULE,
    &sk123_placeholder_left::RULE,
    &sk124_step_count_promise::RULE,
    &sk201_unknown_method::RULE,
    &sk202_call_arguments::RULE,
    &sk203_skill_name_argument::RULE,
    &sk204_domain_argument::RULE,
    &sk205_step_interface_use::RULE,
    &sk206_memory_files_mismatch::RULE,
    &sk207_unknown_receiver::RULE,
    &sk208_unknown_domain::RULE,
    &sk209_unknown_topic::RULE,
    &sk210_unknown_skill::RULE,
    &sk211_invocation_cycle::RULE,
    &sk301_broken_link::RULE,
    &sk302_broken_fragment::RULE,
    &sk303_interface_not_linked::RULE,
    &sk401_version_mismatch::RULE,
    &sk402_history_date::RULE,
    &sk403_output_path_name::RULE,
    &sk501_body_too_long::RULE,
    &sk502_file_reference_missing::RULE,
    &sk503_description_without_when::RULE,
    &sk504_profile_override_unknown::RULE,
    &sk505_duplicate_name::RULE,
    &sk506_description_cut_off::RULE,
    &sk507_body_too_many_tokens::RULE,
    &sk508_personal_path::RULE,
    &sk509_name_reserved_word::RULE,
    &sk510_skill_fragment::RULE,
    &sk511_unknown_tool::RULE,
    &sk512_tool_pattern_invalid::RULE,
    &sk513_model_unknown::RULE,
    &sk601_hidden_unicode::RULE,
    &sk602_hidden_unicode_bundled::RULE,
    &sk603_hidden_instruction::RULE,
    &sk604_encoded_payload::RULE,
    &sk605_secret::RULE,
    &sk606_unrestricted_tools::RULE,
    &sk607_dynamic_context_download::RULE,
    &sk608_side_effects_auto_invocable::RULE,
    &sk609_unreferenced_file::RULE,
    &sk610_evals_invalid::RULE,
    &sk611_unclosed_code_fence::RULE,
    &sk901_unused_suppression::RULE,
    &sk902_suppression_invalid::RULE,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::Applicability;

    /// What a rule declares of its fix (what `explain` says) is what its
    /// findings carry on the damaged corpus: a `Safe` rule's fixes are all
    /// applied by `--fix`, an `Unsafe` rule's never, a rule without a fix
    /// makes none.
    #[test]
    fn declared_fix_safety_matches_the_fixes_made() {
        let forge = crate::testing::check_corpus("forge");
        if forge.is_empty() {
            return; // corpus not present
        }
        for (name, _, diags) in &forge {
            for d in diags {
                let rule = find(d.code).unwrap();
                let bulk = d.fix.as_ref().map(Fix::bulk_applicability);
                let ok = match rule.fix {
                    FixAvailability::None => bulk.is_none(),
                    FixAvailability::Safe => matches!(bulk, None | Some(Some(Applicability::Safe))),
                    FixAvailability::Unsafe => !matches!(bulk, Some(Some(Applicability::Safe))),
                    FixAvailability::Sometimes => true,
                };
                assert!(
                    ok,
                    "{} declares {:?} but made {bulk:?} in {name}: {}",
                    d.code, rule.fix, d.message
                );
            }
        }
    }
}
