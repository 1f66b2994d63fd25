// A meeting's admin page: the section links open the part they point at (each is a <details>,
// closed below the summary), and "open all" / "close all" show or fold every part. Without
// this file the links still jump to each part's heading, which opens with a click.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const nav = document.querySelector(".meeting-sections");
  if (!nav) return;
  const parts = () => document.querySelectorAll("#content-main details");
  const openAt = (hash) => {
    const heading = hash && document.getElementById(decodeURIComponent(hash.slice(1)));
    const details = heading && heading.closest("details");
    if (details) details.open = true;
    return heading;
  };
  nav.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    if (link) {
      openAt(link.hash);
      return;
    }
    const button = event.target.closest("button[data-sections]");
    if (button) {
      const open = button.dataset.sections === "open";
      parts().forEach((details) => { details.open = open; });
    }
  });
  nav.querySelector(".meeting-sections-all").hidden = false;
  const heading = openAt(window.location.hash);
  if (heading) heading.scrollIntoView();
});
