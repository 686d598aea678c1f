// The resource request form: show only the field the chosen kind needs (amount, hours or
// partner). Without JavaScript every field shows and the server says which one to fill.
(function () {
  "use strict";
  var form = document.querySelector("[data-resource-request-form]");
  if (!form) { return; }
  var kind = form.querySelector("[data-request-kind]");
  if (!kind) { return; }
  function sync() {
    form.querySelectorAll("[data-for-kind]").forEach(function (input) {
      var field = input.closest(".field");
      if (field) {
        field.classList.toggle("is-hidden-for-kind", input.dataset.forKind !== kind.value);
      }
    });
  }
  kind.addEventListener("change", sync);
  // A value left in a hidden field would be refused ("does not take this"): drop it.
  form.addEventListener("submit", function () {
    form.querySelectorAll("[data-for-kind]").forEach(function (input) {
      if (input.dataset.forKind !== kind.value) { input.value = ""; }
    });
  });
  sync();
})();
