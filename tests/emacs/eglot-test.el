;;; eglot-test.el --- skill-lsp in a real Emacs with eglot, as docs/editors.md configures it -*- lexical-binding: t -*-

;; Run by scripts/test-editors.sh (suite `emacs`):
;;
;;   emacs --batch -l tests/emacs/eglot-test.el
;;
;; with, in the environment:
;;
;;   EGLOT_TEST_DOCS       docs/editors.md: its first elisp block under
;;                         "## Emacs (eglot)" is the configuration evaluated here,
;;                         so the documented one is the one tested
;;   EGLOT_TEST_SKILL      a SKILL.md missing its step 5 (SK102), in a skills
;;                         root with no version control
;;   EGLOT_TEST_SKILL_LSP  the skill-lsp binary (its folder goes on exec-path:
;;                         the configuration starts "skill-lsp")
;;
;; Each step prints `ok: ...` or `FAIL: ...`; the last line is
;; `emacs-eglot: N passed, N failed`, and the exit status 0 only when all passed.

(require 'package)
(package-activate-all)
(require 'cl-lib)
(require 'json)

(defvar eglot-test-timeout 60 "Seconds to wait for the server.")
(defvar eglot-test-passed 0)
(defvar eglot-test-failed 0)

(defun eglot-test-log (format-string &rest args)
  (princ (concat (apply #'format format-string args) "\n") #'external-debugging-output))

(defun eglot-test-idle ()
  "What Emacs does when idle and batch mode never does: eglot sends the
buffer's changes to the server from an idle timer."
  (when (and (bound-and-true-p eglot--managed-mode) eglot--recent-changes)
    (eglot--signal-textDocument/didChange)))

(defun eglot-test-wait (what predicate)
  "Waits until PREDICATE returns non-nil, serving the server's messages."
  (let ((deadline (+ (float-time) eglot-test-timeout)) value)
    (while (and (not (setq value (funcall predicate)))
                (< (float-time) deadline))
      (eglot-test-idle)
      (accept-process-output nil 0.1))
    (or value (error "Timed out waiting for %s" what))))

(defmacro eglot-test-step (name &rest body)
  (declare (indent 1))
  `(condition-case err
       (progn ,@body (cl-incf eglot-test-passed))
     (error (cl-incf eglot-test-failed)
            (eglot-test-log "FAIL: %s: %s" ,name (error-message-string err)))))

(defun eglot-test-documented-config (docs)
  "The first elisp block of the Emacs section of DOCS, as a string."
  (with-temp-buffer
    (insert-file-contents docs)
    (goto-char (point-min))
    (re-search-forward "^## Emacs (eglot)")
    (re-search-forward "^```elisp\n")
    (let ((start (point)))
      (re-search-forward "^```$")
      (buffer-substring-no-properties start (match-beginning 0)))))

(defun eglot-test-cli-codes (file)
  "The codes `skill-lsp check` reports for FILE, sorted."
  (with-temp-buffer
    (let ((default-directory (file-name-directory file)))
      (call-process (getenv "EGLOT_TEST_SKILL_LSP") nil (list t nil) nil
                    "check" "--format" "json" file))
    (goto-char (point-min))
    (let* ((json-object-type 'plist) (json-array-type 'list)
           (report (json-read)))
      (sort (mapcar (lambda (d) (plist-get d :code)) (plist-get report :diagnostics))
            #'string<))))

(defun eglot-test-codes ()
  "The codes of the skill-lsp diagnostics Flymake holds for this buffer, sorted."
  (sort (delq nil
              (mapcar (lambda (d)
                        (let ((lsp (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data d)))))
                          (and lsp (equal (plist-get lsp :source) "skill-lsp")
                               (plist-get lsp :code))))
                      (flymake-diagnostics)))
        #'string<))

(defun eglot-test-settled-codes (expected)
  "Waits for Flymake to show exactly EXPECTED, starting it as its timers would."
  (condition-case nil
      (eglot-test-wait (format "the diagnostics %S" expected)
                       (lambda () (flymake-start) (equal (eglot-test-codes) expected)))
    (error (error "Timed out waiting for the diagnostics %S: Flymake shows %S" expected (eglot-test-codes))))
  expected)

(let* ((docs (getenv "EGLOT_TEST_DOCS"))
       (skill (getenv "EGLOT_TEST_SKILL"))
       (binary (getenv "EGLOT_TEST_SKILL_LSP"))
       (expected (eglot-test-cli-codes skill))
       (config (eglot-test-documented-config docs)))
  (setq exec-path (cons (file-name-directory binary) exec-path))
  (setenv "PATH" (concat (file-name-directory binary) path-separator (getenv "PATH")))
  (require 'eglot)
  (require 'markdown-mode)
  (eglot-test-log "eglot %s on Emacs %s; skill-lsp check reports %S"
                  (package-desc-version (cadr (assq 'eglot package-alist))) emacs-version expected)

  (eglot-test-step "the documented configuration"
    (with-temp-buffer
      (insert config)
      (eval-buffer))
    (cl-assert (fboundp 'skill-md-mode))
    (eglot-test-log "ok: docs/editors.md's configuration evaluates"))

  (find-file skill)
  (eglot-test-step "the server starts for SKILL.md"
    (cl-assert (eq major-mode 'skill-md-mode) nil "SKILL.md opened in %s" major-mode)
    ;; eglot-ensure connects after the command that visited the file.
    (run-hooks 'post-command-hook)
    (let ((server (eglot-test-wait "eglot to connect" #'eglot-current-server)))
      (eglot-test-wait "initialize" (lambda () (eglot--server-capable :textDocumentSync)))
      (cl-assert (equal (eglot--language-id server) "skill") nil
                 "the buffer is sent as %S" (eglot--language-id server))
      ;; No version control: the project is the skill's own folder.
      (cl-assert (equal (file-name-as-directory (project-root (eglot--project server)))
                        (file-name-directory skill))
                 nil "the project is %s" (project-root (eglot--project server)))
      (eglot-test-log "ok: eglot started skill-lsp for %s, language id skill, project %s"
                      (file-name-nondirectory skill) (project-root (eglot--project server)))))

  (eglot-test-step "diagnostics as on the command line"
    (let ((shown (eglot-test-settled-codes expected)))
      (eglot-test-log "ok: Flymake shows %d skill-lsp diagnostics, as `skill-lsp check` does: %S"
                      (length shown) shown)))

  (eglot-test-step "completion after memoryStore."
    (save-excursion
      (goto-char (point-min))
      (re-search-forward "^### Step 2")
      (end-of-line)
      (insert "\n- Then `memoryStore.")
      (let* ((capf (eglot-completion-at-point))
             (table (nth 2 capf))
             (items (mapcar #'substring-no-properties (all-completions "" table))))
        (cl-assert (member "getSkillMemory" items) nil "completion gave %S" items)
        (cl-assert (not (member "getDomainIndex" items)) nil "completion gave %S" items)
        (eglot-test-log "ok: completion after `memoryStore.` lists %d methods: %S" (length items) items))
      ;; The typed line goes: the text is as on disk again.
      (delete-region (line-end-position 0) (line-end-position))
      (cl-assert (equal (buffer-string) (let ((file buffer-file-name))
                                          (with-temp-buffer (insert-file-contents file) (buffer-string))))
                 nil "the buffer differs from the file")
      (eglot-test-idle)))

  (eglot-test-step "the quick fix for the missing step"
    (eglot-test-settled-codes expected)
    (let ((diag (cl-find-if (lambda (d)
                              (equal (plist-get (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data d))) :code)
                                     "SK102"))
                            (flymake-diagnostics))))
      (cl-assert diag nil "no SK102 to fix")
      (goto-char (flymake-diagnostic-beg diag))
      ;; M-x eglot-code-actions on the diagnostic, choosing the fix that adds
      ;; step 5 from the minibuffer (a key, not a mouse click, ran the command).
      (cl-letf ((last-nonmenu-event ?\r)
                ((symbol-function 'completing-read)
                 (lambda (_prompt items &rest _)
                   (or (cl-find-if (lambda (title) (string-match-p "[Ss]tep 5" title))
                                   (mapcar #'car items))
                       (error "No fix for step 5 among %S" (mapcar #'car items))))))
        (eglot-code-actions (flymake-diagnostic-beg diag) (flymake-diagnostic-end diag) nil t))
      (cl-assert (save-excursion (goto-char (point-min)) (re-search-forward "^### Step 5" nil t))
                 nil "the fix inserted no Step 5 heading")
      (eglot-test-wait "SK102 to go" (lambda () (flymake-start) (not (member "SK102" (eglot-test-codes)))))
      (eglot-test-log "ok: eglot-code-actions applied the step 5 fix and SK102 went away")))

  (eglot-test-step "settings through eglot-workspace-configuration"
    (let ((before (eglot-test-codes)))
      (cl-assert (member "SK301" before) nil "no SK301 to turn off in %S" before)
      ;; Global: eglot reads it, and .dir-locals.el, from the project's folder.
      (setq-default eglot-workspace-configuration '(:skillLsp (:rules (:SK301 "off"))))
      (eglot-signal-didChangeConfiguration (eglot-current-server))
      (eglot-test-settled-codes (remove "SK301" before))
      (eglot-test-log "ok: SK301 turned off in eglot-workspace-configuration went away")))

  (set-buffer-modified-p nil)
  (let ((skill-buffer (current-buffer))
        (iface (expand-file-name "../../interfaces/memory_store.md" (file-name-directory skill))))
    (eglot-test-step "an interface document: the skills' calls, no diagnostics"
      (find-file iface)
      (cl-assert (eq major-mode 'skill-interface-mode) nil "%s opened in %s" iface major-mode)
      (run-hooks 'post-command-hook)
      (let ((server (eglot-test-wait "eglot to connect" #'eglot-current-server)))
        (eglot-test-wait "initialize" (lambda () (eglot--server-capable :referencesProvider)))
        (cl-assert (equal (eglot--language-id server) "markdown") nil
                   "the interface document is sent as %S" (eglot--language-id server))
        (goto-char (point-min))
        (re-search-forward "^### .*`getSkillMemory(")
        (beginning-of-line)
        ;; What M-? lists, without the heading itself.
        (let* ((xrefs (eglot--lsp-xrefs-for-method
                       :textDocument/references :extra-params '(:context (:includeDeclaration :json-false))))
               (files (delete-dups (mapcar (lambda (x) (xref-location-group (xref-item-location x))) xrefs))))
          (cl-assert (equal files (list skill)) nil "references from the heading: %S" files)
          ;; Answered after the open: a check of the document would have published by now.
          (flymake-start)
          (cl-assert (null (eglot-test-codes)) nil "diagnostics on the interface document: %S" (eglot-test-codes))
          (eglot-test-log "ok: %s opened in %s, sent as markdown: no diagnostics, references from getSkillMemory's heading: %d in %s"
                          (file-name-nondirectory iface) major-mode (length xrefs) (file-name-nondirectory (car files))))))
    (ignore-errors (eglot-shutdown (eglot-current-server)))
    (set-buffer skill-buffer))
  (ignore-errors (eglot-shutdown (eglot-current-server)))
  (eglot-test-log "emacs-eglot: %d passed, %d failed" eglot-test-passed eglot-test-failed)
  (kill-emacs (if (zerop eglot-test-failed) 0 1)))

;;; eglot-test.el ends here
