// Filter the library picker on the visit page by words (German or English) and kind.
(function () {
  "use strict";
  var filter = document.querySelector("[data-picker-filter]");
  var kind = document.querySelector("[data-picker-kind]");
  var rows = document.querySelectorAll("[data-picker] > li");
  if (!filter || !kind) { return; }
  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function apply() {
    var words = fold(filter.value).split(/\s+/).filter(Boolean);
    rows.forEach(function (row) {
      var ticked = row.querySelector("input[type=checkbox]").checked;
      var text = row.getAttribute("data-search");
      var show = ticked || ((!kind.value || row.getAttribute("data-kind") === kind.value) &&
        words.every(function (word) { return text.indexOf(word) !== -1; }));
      row.hidden = !show;
    });
    // A search looks into the suggestions folded under "more" too, and a reason whose items
    // are all filtered out hides its heading.
    var searching = words.length > 0 || !!kind.value;
    document.querySelectorAll(".picker-more").forEach(function (more) {
      if (searching) { more.open = true; }
    });
    document.querySelectorAll(".suggestion-group").forEach(function (group) {
      group.hidden = !group.querySelector("[data-picker] > li:not([hidden])");
    });
  }
  filter.addEventListener("input", apply);
  kind.addEventListener("change", apply);
  // Enter in the filter must not submit the visit.
  filter.addEventListener("keydown", function (event) { if (event.key === "Enter") { event.preventDefault(); } });
  rows.forEach(function (row) {
    var box = row.querySelector("input[type=checkbox]");
    var details = row.querySelector("details");
    box.addEventListener("change", function () { if (box.checked && details) { details.open = true; } });
  });
})();
