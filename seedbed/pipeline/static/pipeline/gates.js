// Gate decision form: show "Pivot to" only for a pivot and "What was learned" only for a
// stop. Without JavaScript both stay visible and the server says which one is needed.
(function () {
  "use strict";
  var form = document.querySelector(".gate-form");
  if (!form) { return; }
  var pivot = form.querySelector(".gate-pivot");
  var learnings = form.querySelector(".gate-learnings");

  function chosen() {
    var checked = form.querySelector("input[name='outcome']:checked");
    return checked ? checked.value : "";
  }

  function update() {
    var outcome = chosen();
    // A field with an error stays visible whatever is chosen.
    if (pivot && !pivot.querySelector(".has-error")) { pivot.hidden = outcome !== "pivot"; }
    if (learnings && !learnings.querySelector(".has-error")) {
      learnings.hidden = outcome !== "stop";
    }
  }

  form.addEventListener("change", function (event) {
    if (event.target.name === "outcome") { update(); }
  });
  update();
})();
