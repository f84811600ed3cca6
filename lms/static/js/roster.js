// The roster: a warning before leaving unsaved marks; "everyone present" ticks the boxes.
(function () {
  const form = document.getElementById('roster-form');
  if (!form) return;
  let dirty = false;
  form.addEventListener('change', function () { dirty = true; });
  form.addEventListener('submit', function () { dirty = false; });
  window.addEventListener('beforeunload', function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ''; }
  });
  // With JavaScript, "everyone present" only ticks the boxes; Save then writes them.
  const all = document.getElementById('all-present');
  all.removeAttribute('data-confirm');
  all.addEventListener('click', function (event) {
    event.preventDefault();
    form.querySelectorAll('input[type=radio][value=present]').forEach(function (r) { r.checked = true; });
    dirty = true;
  });
})();
