// Autosave for business-case sections: progressive enhancement. Without JavaScript the
// "Save and continue" and "Save and come back later" buttons save everything; with it, what is
// typed is also saved a moment after typing stops, and when the page is hidden or left.
const form = document.querySelector("form[data-autosave-url]");

if (form) {
  const url = form.dataset.autosaveUrl;
  const status = form.querySelector(".app-autosave-status");
  const summary = document.getElementById("finance-summary");
  let timer = null;
  let dirty = false;

  const say = (text) => {
    if (status) status.textContent = text;
  };

  const save = async () => {
    timer = null;
    if (!dirty) return;
    dirty = false;
    try {
      const response = await fetch(url, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (response.redirected || response.status === 401 || response.status === 403) {
        say("You have been signed out. Press “Save and come back later”: after you sign in again, what you typed will be put back.");
        return;
      }
      const body = await response.json();
      if (response.status === 429) {
        // Too many saves in a short time: what was typed is still on the page and still unsaved,
        // so keep it marked as changed and try again once the server says it will listen.
        dirty = true;
        const wait = Number.parseInt(response.headers.get("Retry-After"), 10);
        if (!timer && Number.isInteger(wait)) timer = setTimeout(save, (wait + 1) * 1000);
        say(body.error || "Your answers could not be saved just now. They are still on this page: press “Save and come back later”.");
        return;
      }
      if (!response.ok || !body.saved) {
        say(body.error || "Your answers could not be saved just now. They are still on this page: press “Save and come back later”.");
        return;
      }
      // body.message: characters that cannot be stored were removed (see kcc_portal/text.py).
      say(body.message ? `Draft saved at ${body.at}. ${body.message}` : `Draft saved at ${body.at}`);
      if (summary && body.summary_html) summary.innerHTML = body.summary_html;
    } catch (error) {
      dirty = true; // try again with the next change
      say("Your answers could not be saved just now. They are still on this page: press “Save and come back later”.");
    }
  };

  const changed = () => {
    dirty = true;
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, 1200);
  };

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", () => {
    dirty = false;
    if (timer) clearTimeout(timer);
  });
  // Leaving the page (closing the tab, following a link): send what is unsaved, without waiting.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden" && dirty) {
      dirty = false;
      navigator.sendBeacon(url, new FormData(form));
    }
  });
}

// The financial case has a price field for each possible year; show only the years of the term
// (and any later year that already holds a figure, so that nothing typed is ever hidden).
const term = document.getElementById("id_contract_term_years");
if (term) {
  const years = [...document.querySelectorAll("input[id^='id_price_year_']")];
  const showYears = () => {
    const count = Number.parseInt(term.value, 10);
    for (const input of years) {
      const year = Number.parseInt(input.id.replace("id_price_year_", ""), 10);
      const group = input.closest(".govuk-form-group");
      if (group) group.hidden = Number.isInteger(count) && count > 0 && year > count && !input.value;
    }
  };
  term.addEventListener("input", showYears);
  showYears();
}
