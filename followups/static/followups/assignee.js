// The assigned officer's choices narrowed to the chosen ministry's officers (each option
// carries its ministry as data-ministry). The server checks the pair anyway; without this
// file every officer is offered, named with their ministry.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const ministry = document.getElementById("id_ministry");
  const assignee = document.getElementById("id_assignee");
  if (!ministry || !assignee || ministry.tagName !== "SELECT") return;
  const narrow = () => {
    for (const option of assignee.options) {
      const other = option.dataset.ministry && option.dataset.ministry !== ministry.value;
      option.hidden = option.disabled = Boolean(other && ministry.value);
      if (option.disabled && option.selected) assignee.value = "";
    }
  };
  ministry.addEventListener("change", narrow);
  narrow();
});
