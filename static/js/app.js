// Progressive enhancement only: every feature works without this file.
// Focus management: after a full page load with errors, and after every htmx swap, move focus
// to the element marked data-autofocus (error summary, result panel) so that keyboard and
// screen-reader users land on what changed instead of <body>.
(function () {
  // Words come from the page, in its language (the French ones are the fallback of a page that
  // does not give them): <meta name="error-title-prefix">, and data-copied / data-copy-failed on a
  // copy button. No left or right here: the layout's direction is the stylesheet's business.
  var prefixMeta = document.querySelector('meta[name="error-title-prefix"]');
  var ERROR_PREFIX = (prefixMeta && prefixMeta.content) || 'Erreur : ';

  function focusElement(element) {
    if (!element.hasAttribute('tabindex') && element.tabIndex < 0) element.setAttribute('tabindex', '-1');
    element.focus();
  }
  function focusMarked(root) {
    var target = root.matches && root.matches('[data-autofocus]') ? root : root.querySelector('[data-autofocus]');
    if (target) focusElement(target);
    return !!target;
  }
  // An htmx fragment carries no <title>: keep the « Erreur : » prefix in step with the error
  // summary on the page, as a full page load would.
  function markTitle() {
    var hasErrors = !!document.querySelector('.error-summary');
    var prefixed = document.title.indexOf(ERROR_PREFIX) === 0;
    if (hasErrors && !prefixed) document.title = ERROR_PREFIX + document.title;
    else if (!hasErrors && prefixed) document.title = document.title.slice(ERROR_PREFIX.length);
  }
  document.addEventListener('DOMContentLoaded', function () {
    // Print and copy buttons are served hidden: without this file they would do nothing.
    Array.prototype.forEach.call(document.querySelectorAll('[data-print][hidden], [data-copy][hidden]'), function (button) {
      button.hidden = false;
    });
    focusMarked(document);
  });
  // htmx fires afterSettle on each element it settled: for an outerHTML swap that is the NEW
  // element (detail.target is the old one, already out of the document), for innerHTML the
  // target itself. If the swap removed the focused element and nothing is marked, focus the
  // new content rather than leave it on <body>.
  document.addEventListener('htmx:afterSettle', function (event) {
    var settled = event.target;
    // The live region and counters updated out of band beside the swap never take the focus.
    if (!settled || settled.nodeType !== 1 || settled.id === 'status' || settled.hasAttribute('data-out-of-band') || !settled.isConnected) return;
    if (!focusMarked(settled) && (!document.activeElement || document.activeElement === document.body)) focusElement(settled);
    markTitle();
  });
  // Keep the CSRF token of <body hx-headers> in step with the cookie the server may rotate.
  document.addEventListener('htmx:configRequest', function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && meta.content) event.detail.headers['x-csrf-token'] = meta.content;
  });
  // A form marked data-follows-url shows the filters of the list it sits on, whose URL holds
  // them. After a history restore htmx brings back a snapshot whose controls show their
  // attributes (the page as first served), not what was ticked since: set them from the URL
  // again, so that ticking one more box keeps the earlier ones.
  function followUrl(form) {
    var params = new URLSearchParams(location.search);
    Array.prototype.forEach.call(form.elements, function (control) {
      if (!control.name) return;
      var wanted = params.getAll(control.name);
      if (control.type === 'checkbox' || control.type === 'radio') control.checked = wanted.indexOf(control.value) !== -1;
      else if (control.tagName === 'SELECT' || control.type === 'search' || control.type === 'text') control.value = wanted[0] || '';
    });
  }
  document.addEventListener('htmx:historyRestore', function () {
    Array.prototype.forEach.call(document.querySelectorAll('form[data-follows-url]'), followUrl);
  });
  // Print buttons (no inline handlers: the CSP forbids them).
  document.addEventListener('click', function (event) {
    var button = event.target.closest && event.target.closest('[data-print]');
    if (button) window.print();
  });
  // Copy buttons (data-copy: the id of the field to copy), announced in the status region.
  function announce(message) {
    var status = document.getElementById('status');
    if (!status) return;
    // Emptied first: the same message twice in a row is announced twice.
    status.textContent = '';
    setTimeout(function () { status.textContent = message; }, 50);
  }
  document.addEventListener('click', function (event) {
    var button = event.target.closest && event.target.closest('[data-copy]');
    var field = button && document.getElementById(button.getAttribute('data-copy'));
    if (!field) return;
    var done = function () { announce(button.getAttribute('data-copied') || 'Copié.'); };
    var failed = function () {
      field.focus();
      field.select();
      announce(button.getAttribute('data-copy-failed') || 'La copie automatique n’a pas marché : le code est sélectionné, copiez-le avec Ctrl+C (ou Cmd+C).');
    };
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(field.value).then(done, failed);
    else failed();
  });
})();
