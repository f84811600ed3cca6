// A searchable <select>: a filter box above it narrows its options (and hides groups left
// empty). Without JavaScript the box stays hidden and the plain <select> works as is.
for (const picker of document.querySelectorAll('[data-picker]')) {
  const box = picker.querySelector('[data-picker-filter]');
  const select = picker.querySelector('select');
  if (!box || !select) {
    continue;
  }
  box.hidden = false;
  box.addEventListener('input', function () {
    const words = box.value.trim().toLocaleLowerCase().split(/\s+/).filter(Boolean);
    for (const option of select.options) {
      const text = option.text.toLocaleLowerCase();
      option.hidden = !option.selected && option.value !== 'other' && option.value !== '' &&
        !words.every(function (word) { return text.includes(word); });
    }
    for (const group of select.querySelectorAll('optgroup')) {
      group.hidden = Array.from(group.children).every(function (option) { return option.hidden; });
    }
  });
}
