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
// A file over its upload limit is refused here, with the page's message, before it is sent
// (the server would refuse it too, after the whole upload).
document.addEventListener("change", (ev) => {
  const input = ev.target;
  if (!(input instanceof HTMLInputElement) || input.type !== "file" || !input.dataset.maxBytes) return;
  const tooBig = Array.from(input.files || []).some((f) => f.size > Number(input.dataset.maxBytes));
  input.setCustomValidity(tooBig ? input.dataset.tooLarge : "");
  const shown = input.form && input.form.querySelector("[data-upload-error]");
  if (shown) { shown.textContent = tooBig ? input.dataset.tooLarge : ""; shown.hidden = !tooBig; }
});
