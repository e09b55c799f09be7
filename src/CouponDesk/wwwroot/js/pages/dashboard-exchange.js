// 대시보드 교환률 (issue 17 point 9; D-DASH-5): the most recent sent campaigns' used ÷ delivered, and their cumulative
// rate by KST day in one Chart.js line chart. Aggregates only (no personal data), so every role sees it.
(function () {
  'use strict';
  const CD = window.CD;
  const COLORS = ['#0d6efd', '#198754', '#fd7e14', '#6f42c1', '#d63384'];
  let chart = null;

  /** Draws the panel from the dashboard answer; `message` is the panel's failure text when it could not be read. */
  CD.dashboardExchange = function (rates, message) {
    const table = CD.clear(CD.$('#exchange-rows'));
    const empty = CD.$('#exchange-dash-empty');
    const box = CD.$('#exchange-dash-chart-box');
    const failure = CD.$('#exchange-dash-unavailable');
    failure.hidden = !message;
    failure.textContent = message || '';
    CD.$('#exchange-window').textContent = rates ? '최근 ' + rates.windowDays + '일 발송 캠페인' : '';
    const list = rates ? rates.campaigns : [];
    list.forEach((c, i) => table.appendChild(row(c, COLORS[i % COLORS.length])));
    if (rates && !list.length) table.appendChild(CD.emptyRow(5, '최근 ' + rates.windowDays + '일 동안 발송된 캠페인이 없습니다. 캠페인이 발송되면 교환률이 여기에 표시됩니다.'));
    // The chart only when some coupon was used; otherwise a sentence says why it is empty.
    const used = list.filter((c) => c.days.length > 0);
    empty.hidden = !rates || !list.length || used.length > 0;
    box.hidden = used.length === 0;
    if (!window.Chart || used.length === 0) return;
    draw(used, list);
  };

  function row(c, color) {
    const h = CD.h;
    const swatch = h('span', { class: 'cd-swatch me-2', 'aria-hidden': 'true' });
    swatch.style.backgroundColor = color; // CSSOM, not a style attribute (CSP)
    return h(
      'tr',
      { dataset: { exchangeCampaign: String(c.id) } },
      h('td', {}, swatch, h('a', { class: 'text-decoration-none', href: 'campaign.html?id=' + encodeURIComponent(c.id), text: '[' + c.clientName + '] ' + c.eventName })),
      h('td', { class: 'text-nowrap', text: CD.fmt.dateTime(c.scheduledAt) }),
      h('td', { class: 'text-end', text: CD.fmt.number(c.delivered) }),
      h('td', { class: 'text-end', text: CD.fmt.number(c.used) }),
      h('td', { class: 'text-end fw-semibold cd-exchange-rate', text: c.rate === null || c.rate === undefined ? '-' : c.rate.toFixed(1) + '%' })
    );
  }

  // One line per campaign over the union of days; a day before a campaign's first use is empty, after it the rate carries on.
  function draw(used, list) {
    const labels = Array.from(new Set(used.flatMap((c) => c.days.map((d) => d.day)))).sort();
    const datasets = used.map((c) => {
      const color = COLORS[list.indexOf(c) % COLORS.length];
      let last = null;
      const byDay = new Map(c.days.map((d) => [d.day, d.rate]));
      const data = labels.map((day) => {
        if (byDay.has(day)) last = byDay.get(day);
        return last;
      });
      return { label: c.eventName, data, borderColor: color, backgroundColor: color, tension: 0.2, spanGaps: false };
    });
    if (chart) {
      chart.data = { labels, datasets };
      chart.update();
      return;
    }
    chart = new window.Chart(CD.$('#exchange-dash-chart'), {
      type: 'line',
      data: { labels, datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { position: 'bottom' }, tooltip: { callbacks: { label: (ctx) => ctx.dataset.label + ': ' + ctx.parsed.y + '%' } } },
        scales: { y: { beginAtZero: true, max: 100, ticks: { callback: (v) => v + '%' } } }
      }
    });
  }
})();
