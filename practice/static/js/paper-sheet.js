// Paper sheet: Enter moves to the next box, as Tab does, instead of saving half a sheet.
// Without JavaScript Enter saves the sheet, which keeps everything typed on an error too.
document.addEventListener("keydown", function (event) {
  var box = event.target;
  if (event.key !== "Enter" || !box.closest || !box.closest(".paper-sheet table")) return;
  if (box.tagName !== "INPUT") return;
  event.preventDefault();
  var boxes = Array.prototype.slice.call(
    box.closest("form").querySelectorAll("table input:not([type=hidden]):not([disabled])"));
  var next = boxes[boxes.indexOf(box) + 1];
  if (next) { next.focus(); if (next.select) next.select(); }
  else { box.closest("form").querySelector("button[type=submit]").focus(); }
});
