// A part of a page that follows work under way (a job's progress), marked
// data-refresh="<seconds>": fetched again that often and its contents replaced in place,
// so the rest of the page and the focus stay put, and the status line (role=status) keeps
// its node, so screen readers read its new words. It stops when the part comes back
// without data-refresh (the work has finished). Without JavaScript the page reloads itself
// instead (a meta refresh inside <noscript>).
(function () {
  const part = document.querySelector('[data-refresh][id]');
  if (!part) {
    return;
  }
  const seconds = Math.max(Number(part.dataset.refresh) || 2, 1);
  function later() {
    window.setTimeout(update, seconds * 1000);
  }
  async function update() {
    let fresh;
    try {
      const answer = await fetch(window.location.href, { credentials: 'same-origin' });
      if (!answer.ok) {
        return later();
      }
      const page = new DOMParser().parseFromString(await answer.text(), 'text/html');
      fresh = page.getElementById(part.id);
    } catch (error) {
      return later(); // offline for a moment: try again
    }
    if (!fresh) {
      return later();
    }
    const status = part.querySelector('[role=status]');
    const next = fresh.querySelector('[role=status]');
    if (status && next) {
      status.innerHTML = next.innerHTML;
      next.replaceWith(status);
    }
    part.replaceChildren(...fresh.childNodes);
    if (fresh.dataset.refresh) {
      later();
    } else {
      delete part.dataset.refresh;
    }
  }
  later();
})();
