// The intake form, with fewer clicks and keyboard first. Without JavaScript every part still
// works: "None of these apply" is then a round trip to the server, which does the same.
(function () {
  "use strict";
  var form = document.querySelector("form.intake");
  if (!form) { return; }

  function checked(name, value) {
    return form.querySelector('input[name="' + name + '"][value="' + value + '"]:checked');
  }

  // Questions that matter only after a yes wait for it; one holding an answer stays in view,
  // so nothing the form will send is hidden.
  form.querySelectorAll("[data-after]").forEach(function (set) {
    var parent = set.getAttribute("data-after");
    function apply() {
      set.hidden = !(checked(parent, "yes") || set.querySelector("input:checked"));
    }
    form.querySelectorAll('input[name="' + parent + '"]').forEach(function (radio) {
      radio.addEventListener("change", apply);
    });
    apply();
  });

  // "None of these apply", in place: the same rules as the server (IntakeAnswers.none_apply).
  form.querySelectorAll("[data-none-apply]").forEach(function (button) {
    var group = form.querySelector('[data-none-apply-group="' + button.value + '"]');
    var status = group && group.querySelector("[data-none-apply-status]");
    if (!group || !status) { return; }
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var refused = false;
      if (button.value === "red_flags") {
        // A ticked sign is unticked by the practitioner only, never by this button.
        refused = !!group.querySelector(".flaglist input[type=checkbox]:checked");
        if (!refused) { form.querySelector("#red_flag_screen_done").checked = true; }
      } else {
        group.querySelectorAll("fieldset[data-yesno]:not([data-after])").forEach(function (set) {
          var no = set.querySelector("input[value=no]");
          if (no && !set.querySelector("input:checked")) {
            no.checked = true;
            no.dispatchEvent(new Event("change", { bubbles: true }));
          }
        });
      }
      status.classList.toggle("refused", refused);
      status.textContent = button.getAttribute(refused ? "data-refused" : "data-done");
    });
  });

  // Enter in a field moves to the next one, as Tab does (one stop per group of radio buttons),
  // instead of sending the form: saving and completing are the buttons' work.
  function stops() {
    var list = [];
    var seen = {};
    form.querySelectorAll("input, select, textarea, button").forEach(function (el) {
      if (el.disabled || el.type === "hidden" || el.tabIndex < 0 ||
          !el.getClientRects().length) { return; }
      if (el.type === "radio") {
        if (seen[el.name]) { return; }
        seen[el.name] = true;
      }
      list.push(el);
    });
    return list;
  }
  function same(el, target) {
    return el === target || (target.type === "radio" && el.type === "radio" &&
                             el.name === target.name);
  }
  form.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key !== "Enter" || event.isComposing || event.altKey || event.ctrlKey ||
        event.metaKey || event.shiftKey || target.tagName !== "INPUT" ||
        /^(submit|button|reset|image|file)$/.test(target.type)) { return; }
    event.preventDefault();
    var list = stops();
    var here = list.findIndex(function (el) { return same(el, target); });
    var next = here === -1 ? null : list[here + 1];
    if (next && next.type === "radio") {
      next = form.querySelector('input[name="' + next.name + '"]:checked') || next;
    }
    if (next) { next.focus(); }
  });
})();
