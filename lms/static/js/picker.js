// The organisation picker (_macros/organization_picker.html): while a person types part of
// a name, the organisations found are asked of the server (a small JSON answer) and shown
// as choices in place; "Find" and Enter search at once instead of sending the form.
// Without JavaScript, "Find" sends the form and the page comes back with the same choices.
for (const picker of document.querySelectorAll('[data-picker]')) {
  const box = picker.querySelector('[data-picker-query]');
  const button = picker.querySelector('[data-picker-find]');
  const results = picker.querySelector('[data-picker-results]');
  const name = picker.dataset.pickerName;
  if (!box || !results || !name) {
    continue;
  }
  let timer = null;
  let asked = 0;

  function choice(item, checked) {
    const id = name + '-' + item.id;
    const row = document.createElement('div');
    row.className = 'form-check';
    const input = document.createElement('input');
    input.className = 'form-check-input';
    input.type = 'radio';
    input.name = name;
    input.id = id;
    input.value = String(item.id);
    input.checked = checked;
    const label = document.createElement('label');
    label.className = 'form-check-label';
    label.htmlFor = id;
    label.textContent = item.name + ' ';
    const kind = document.createElement('span');
    kind.className = 'small text-body-secondary';
    kind.textContent = '· ' + item.kind;
    label.appendChild(kind);
    row.append(input, label);
    return row;
  }

  async function search() {
    const query = box.value.trim();
    const mine = ++asked;
    if (!query) {
      results.replaceChildren();
      return;
    }
    const response = await fetch(picker.dataset.pickerUrl + '?q=' + encodeURIComponent(query), {
      headers: {Accept: 'application/json'},
      credentials: 'same-origin',
    });
    if (!response.ok || mine !== asked) {
      return; // an error, or a newer search is on its way
    }
    const {items} = await response.json();
    const checked = picker.querySelector('input[type=radio]:checked');
    const chosen = checked ? checked.value : null;
    // A choice already shown above the results (none, not listed, the one chosen) stays.
    const above = new Set(
      Array.from(picker.querySelectorAll('input[type=radio]'))
        .filter(function (input) { return !results.contains(input); })
        .map(function (input) { return input.value; })
    );
    const rows = items
      .filter(function (item) { return !above.has(String(item.id)); })
      .map(function (item) { return choice(item, String(item.id) === chosen); });
    if (!items.length) {
      const none = document.createElement('p');
      none.className = 'small text-body-secondary mb-0';
      none.textContent = picker.dataset.pickerNothing || '';
      rows.push(none);
    }
    results.replaceChildren(...rows);
  }

  box.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(search, 250);
  });
  box.addEventListener('keydown', function (event) {
    if (event.key === 'Enter') {
      event.preventDefault(); // search, do not send the form
      clearTimeout(timer);
      search();
    }
  });
  if (button) {
    button.addEventListener('click', function (event) {
      event.preventDefault();
      clearTimeout(timer);
      search();
    });
  }
}
