// Light progressive enhancement: every page works without it.
// "/" focuses the page's search field; forms with data-confirm ask first.
document.addEventListener("keydown", (ev) => {
  if (ev.key !== "/" || ev.ctrlKey || ev.metaKey || ev.altKey) return;
  const tag = (document.activeElement && document.activeElement.tagName) || "";
  if (["INPUT", "TEXTAREA", "SELECT"].includes(tag)) return;
  const field = document.querySelector("[data-slash]") || document.querySelector("main input[type=search]");
  if (field) { ev.preventDefault(); field.focus(); field.select(); }
});
document.addEventListener("submit", (ev) => {
  const msg = ev.target.getAttribute && ev.target.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) ev.preventDefault();
});
