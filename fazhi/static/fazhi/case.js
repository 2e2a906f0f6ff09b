/* Case page tabs (fazhi/templates/core/case/_case.html), plain JavaScript, no framework.
   Without JavaScript every panel is shown one under the other; with it the panels become tabs.
   A link to #id (a panel, or anything inside one) opens that panel. Print shows every panel. */
(function () {
  "use strict";
  function setup(root) {
    var tabs = Array.prototype.slice.call(root.querySelectorAll('[role="tab"]'));
    var panels = Array.prototype.slice.call(root.querySelectorAll('[role="tabpanel"]'));
    if (!tabs.length) { return; }
    function show(key, focus) {
      tabs.forEach(function (tab) {
        var selected = tab.getAttribute("data-panel") === key;
        tab.setAttribute("aria-selected", selected ? "true" : "false");
        tab.tabIndex = selected ? 0 : -1;
        if (selected && focus) { tab.focus(); }
      });
      panels.forEach(function (panel) { panel.hidden = panel.id !== key; });
    }
    function fromHash() {
      var id = decodeURIComponent(window.location.hash.slice(1));
      if (!id) { return null; }
      var target = document.getElementById(id);
      if (!target) { return null; }
      var panel = target.closest('[role="tabpanel"]');
      return panel && root.contains(panel) ? { panel: panel.id, target: target } : null;
    }
    tabs.forEach(function (tab, i) {
      tab.addEventListener("click", function () {
        var key = tab.getAttribute("data-panel");
        show(key, false);
        if (window.history && window.history.replaceState) {
          window.history.replaceState(null, "", "#" + key);
        }
      });
      tab.addEventListener("keydown", function (event) {
        var next = null;
        if (event.key === "ArrowRight") { next = tabs[(i + 1) % tabs.length]; }
        if (event.key === "ArrowLeft") { next = tabs[(i - 1 + tabs.length) % tabs.length]; }
        if (event.key === "Home") { next = tabs[0]; }
        if (event.key === "End") { next = tabs[tabs.length - 1]; }
        if (next) { event.preventDefault(); show(next.getAttribute("data-panel"), true); }
      });
    });
    root.classList.add("tabs-on");
    var hit = fromHash();
    show(hit ? hit.panel : tabs[0].getAttribute("data-panel"), false);
    if (hit && hit.target.id !== hit.panel) { hit.target.scrollIntoView(); }
    window.addEventListener("hashchange", function () {
      var again = fromHash();
      if (again) { show(again.panel, false); again.target.scrollIntoView(); }
    });
    window.addEventListener("beforeprint", function () {
      panels.forEach(function (panel) { panel.setAttribute("data-was-hidden", panel.hidden ? "1" : ""); panel.hidden = false; });
    });
    window.addEventListener("afterprint", function () {
      panels.forEach(function (panel) { panel.hidden = panel.getAttribute("data-was-hidden") === "1"; });
    });
  }
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-tabs]"), setup);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
