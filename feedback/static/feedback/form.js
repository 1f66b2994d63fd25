// "Add another request" on the feedback form: the new row is added in the page, without
// sending the form, so that files already chosen stay chosen. Without scripts the button
// sends the form and the page comes back with one row more (the files then need choosing
// again, and the page says so). Under each file field, the names of the files chosen.
"use strict";

function showChosenFiles(input) {
  const shown = document.querySelector(`[data-chosen-files="${input.id}"]`);
  if (!shown) return;
  const names = Array.from(input.files, (file) => file.name);
  shown.textContent = names.length ? `${shown.dataset.label} ${names.join(", ")}` : "";
}

document.addEventListener("DOMContentLoaded", () => {
  const button = document.querySelector("button[data-add-request]");
  const template = document.getElementById("request-template");
  const rows = document.getElementById("requests");
  if (!button || !template || !rows) return;
  rows.addEventListener("change", (event) => {
    if (event.target.matches("input[type=file]")) showChosenFiles(event.target);
  });
  const total = document.getElementById("id_requests-TOTAL_FORMS");
  const max = document.getElementById("id_requests-MAX_NUM_FORMS");

  button.addEventListener("click", (event) => {
    const index = Number(total.value);
    if (index >= Number(max.value)) return; // the server says there are too many
    event.preventDefault();
    const row = document.createElement("template");
    row.innerHTML = template.innerHTML
      .replaceAll("__prefix__", String(index))
      .replaceAll("__number__", String(index + 1));
    const added = row.content.firstElementChild;
    rows.appendChild(row.content);
    total.value = String(index + 1);
    const first = added && added.querySelector("select, textarea, input:not([type=hidden])");
    if (first) first.focus();
  });
});
