// Small progressive enhancements; every action also works without JavaScript.
document.addEventListener('click', function (event) {
  const button = event.target.closest('[data-confirm]');
  if (button && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});

// Menu groups are <details>, which open and close without JavaScript. Here they also
// close, as menus do, on a click elsewhere or on Escape (focus returns to the group).
document.addEventListener('click', function (event) {
  for (const group of document.querySelectorAll('.menu-group details[open]')) {
    if (!group.contains(event.target)) {
      group.open = false;
    }
  }
});
document.addEventListener('keydown', function (event) {
  if (event.key !== 'Escape') {
    return;
  }
  for (const group of document.querySelectorAll('.menu-group details[open]')) {
    group.open = false;
    if (group.contains(document.activeElement)) {
      group.querySelector('summary').focus();
    }
  }
});
