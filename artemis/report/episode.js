"use strict";
// Keyboard navigation between the steps of an episode page. The current step is marked with
// the class "current", gets the focus, and is kept in the address's #step-N.
(function () {
  var steps = Array.prototype.slice.call(document.querySelectorAll("section.step"));
  var chips = Array.prototype.slice.call(document.querySelectorAll("#stepnav .chip"));
  var current = -1;

  // `remember` puts the step in the address; not on the first selection without a #step-N,
  // since the browser would then scroll to it when the page finishes loading.
  function select(i, scroll, remember) {
    if (!steps.length) return;
    i = Math.max(0, Math.min(steps.length - 1, i));
    if (current >= 0) {
      steps[current].classList.remove("current");
      steps[current].removeAttribute("aria-current");
      if (chips[current]) chips[current].classList.remove("current");
    }
    current = i;
    var step = steps[i];
    step.classList.add("current");
    step.setAttribute("aria-current", "step");
    if (chips[i]) chips[i].classList.add("current");
    step.focus({ preventScroll: true });
    if (scroll) step.scrollIntoView({ block: "start" });
    if (remember !== false && history.replaceState) {
      history.replaceState(null, "", "#" + step.id);
    }
  }

  function follow(id) {
    var link = document.getElementById(id);
    if (link && link.href) window.location.href = link.href;
  }

  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    switch (e.key) {
      case "ArrowRight": case "j": select(current + 1, true); break;
      case "ArrowLeft": case "k": select(current - 1, true); break;
      case "Home": select(0, true); break;
      case "End": select(steps.length - 1, true); break;
      case "n": follow("next-episode"); break;
      case "p": follow("prev-episode"); break;
      case "u": follow("to-index"); break;
      default: return;
    }
    e.preventDefault();
  });

  steps.forEach(function (step, i) {
    step.addEventListener("click", function () { select(i, false); });
  });
  chips.forEach(function (chip, i) {
    chip.addEventListener("click", function (e) { e.preventDefault(); select(i, true); });
  });

  var start = 0;
  var match = /^#step-(\d+)$/.exec(window.location.hash);
  if (match) {
    var found = steps.findIndex(function (s) { return s.id === "step-" + match[1]; });
    if (found >= 0) start = found;
  }
  select(start, Boolean(match), Boolean(match));
})();
