// "Select all on this page": one checkbox ticks or clears every checkbox of its form.
// Without JavaScript the page offers a link that shows the page with all of them ticked.
for (const group of document.querySelectorAll('[data-select-group]')) {
  const all = group.querySelector('[data-select-all]');
  if (!all) {
    continue;
  }
  const boxes = function () {
    return group.querySelectorAll('input[type=checkbox]:not([data-select-all])');
  };
  all.addEventListener('change', function () {
    for (const box of boxes()) {
      box.checked = all.checked;
    }
  });
  group.addEventListener('change', function (event) {
    if (event.target !== all) {
      all.checked = Array.from(boxes()).every(function (box) { return box.checked; });
    }
  });
}
