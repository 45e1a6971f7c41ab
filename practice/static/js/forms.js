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
