/* Every page: multi-selects become searchable with Tom Select (vendored under
   static/vendor/tom-select, served by us); the first field with an error gets the focus;
   [data-print] buttons print the page ([data-autoprint] on a print view prints on opening). */
(function () {
  "use strict";
  function searchable(select) {
    if (select.tomselect || typeof window.TomSelect === "undefined") { return; }
    new window.TomSelect(select, {
      plugins: select.multiple ? ["remove_button"] : [],
      maxOptions: null,
      hidePlaceholder: true,
      placeholder: select.multiple ? "输入文字搜索，可多选" : "输入文字搜索",
      render: {
        no_results: function () { return '<div class="no-results">没有匹配的选项</div>'; }
      }
    });
  }
  function init(root) {
    Array.prototype.forEach.call(root.querySelectorAll("select[data-search]"), searchable);
    // long single dropdowns (villages, staff, parties) are searchable too
    Array.prototype.forEach.call(root.querySelectorAll("form select:not([multiple])"), function (select) {
      if (select.options.length > 30) { searchable(select); }
    });
  }
  function start() {
    init(document);
    var invalid = document.querySelector('form [aria-invalid="true"]');
    if (invalid && typeof invalid.focus === "function") { invalid.focus({ preventScroll: false }); }
    document.body.addEventListener("htmx:afterSwap", function (event) { init(event.target); });
    Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
    if (document.querySelector("[data-autoprint]")) { window.setTimeout(function () { window.print(); }, 300); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
