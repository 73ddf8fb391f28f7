// Uploads with a progress bar: progressive enhancement of the plain multipart form. The server's
// answer (the documents page, with the new file or with the error) replaces the page's content.
const enhance = () => {
  const form = document.querySelector("form.app-upload-form");
  if (!form) return;
  const progress = form.querySelector(".app-upload-progress");
  const bar = progress && progress.querySelector("progress");

  form.addEventListener("submit", (event) => {
    if (!window.XMLHttpRequest || !bar) return; // let the browser post it
    event.preventDefault();
    const request = new XMLHttpRequest();
    request.open("POST", form.action || window.location.href);
    request.upload.addEventListener("progress", (e) => {
      if (!e.lengthComputable) return;
      const percent = Math.round((e.loaded / e.total) * 100);
      bar.value = percent;
      bar.textContent = `${percent}%`;
    });
    request.addEventListener("load", () => {
      const page = new DOMParser().parseFromString(request.responseText, "text/html");
      const main = page.querySelector("main");
      if (!main) {
        window.location.reload();
        return;
      }
      document.querySelector("main").replaceWith(main);
      document.title = page.title;
      if (request.responseURL) window.history.replaceState(null, "", request.responseURL);
      const focus = main.querySelector(".govuk-error-summary, .govuk-notification-banner");
      if (focus) {
        focus.setAttribute("tabindex", "-1");
        focus.focus();
      }
      enhance();
    });
    request.addEventListener("error", () => form.submit());
    progress.hidden = false;
    request.send(new FormData(form));
  });
};

enhance();
