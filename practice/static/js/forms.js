// A file larger than its field allows is refused at once, with the field's own message,
// before the browser sends it (the server would answer "too large" and the typed text be lost).
(function () {
  "use strict";
  document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
    input.addEventListener("change", function () {
      var limit = parseInt(input.getAttribute("data-max-bytes"), 10);
      var file = input.files && input.files[0];
      if (file && file.size > limit) {
        input.setCustomValidity(input.getAttribute("data-too-large") || "");
        input.reportValidity();
        input.value = "";
      } else {
        input.setCustomValidity("");
      }
    });
  });
})();

// The diary's warning check: the ticks "which?" replace the plain list of signs once Yes is
// chosen (without JavaScript both are shown).
(function () {
  "use strict";
  document.querySelectorAll("[data-warning-check]").forEach(function (box) {
    var which = box.querySelector("[data-warning-which]");
    var list = box.querySelector("[data-warning-list]");
    var radios = box.querySelectorAll("input[type=radio]");
    function apply() {
      var yes = box.querySelector("input[type=radio][value=yes]:checked");
      var ticked = which.querySelector("input:checked");
      which.hidden = !(yes || ticked);
      if (list) { list.hidden = !which.hidden; }  // the ticks then name the same signs
    }
    radios.forEach(function (radio) { radio.addEventListener("change", apply); });
    apply();
  });
})();
