// The trainer's check-in screen: the code, the QR image and the count, kept fresh.
(function () {
  const screen = document.getElementById('check-in');
  if (!screen) return;
  const statusUrl = screen.dataset.statusUrl;
  const qrUrl = screen.dataset.qrUrl;
  let window_ = Number(screen.dataset.window);
  async function refresh() {
    try {
      const response = await fetch(statusUrl, {cache: 'no-store', credentials: 'same-origin'});
      if (!response.ok) return;
      const now = await response.json();
      document.getElementById('present').textContent = now.present;
      document.getElementById('code').textContent = now.code;
      document.getElementById('left').textContent = '(' + now.seconds_left + ' s)';
      if (now.window !== window_) {
        window_ = now.window;
        document.getElementById('qr').src = qrUrl + '?w=' + now.window;
      }
    } catch (e) { /* offline for a moment: try again next tick */ }
  }
  setInterval(refresh, 3000);
})();
