// 간편등록 of 발송등록 (spec §3.2.3; issue 14 point 5): one number a line, at most 100. Non-digits go as they are typed
// and a line stops at 11 digits, without moving the caret (so the next keystroke stays on its line). Every line keeps
// its own text: Enter starts a new line after any number, valid or not, and is refused only on an empty line or at the
// limit. Each line gets O or X in the left column and, for an X, its reason on the same line to the right.
(function () {
  'use strict';
  const CD = window.CD;

  /** options: { max, onMessage(text, kind) }. Returns { lines(), redraw(), clear() }. */
  CD.quickEntry = function (area, options) {
    const h = CD.h;
    const marks = CD.$('#quick-marks');
    const reasons = CD.$('#quick-reasons');
    const summary = CD.$('#quick-problems');
    let count = 0;

    function lines() {
      return area.value.split('\n');
    }

    function reasonOf(line, seen) {
      if (!line) return '';
      const prefix = line.startsWith('010');
      const eleven = line.length === 11;
      if (!prefix && !eleven) return '010으로 시작하는 11자리 번호가 아님';
      if (!prefix) return '010으로 시작하지 않음';
      if (!eleven) return '11자리가 아님 (' + line.length + '자리)';
      if (seen.has(line)) return '중복 번호';
      seen.add(line);
      return '';
    }

    function draw() {
      CD.clear(marks);
      CD.clear(reasons);
      const seen = new Set();
      const bad = [];
      count = 0;
      lines().forEach((line, i) => {
        const reason = reasonOf(line, seen);
        if (line) count++;
        if (reason) bad.push(i + 1 + '행 ' + reason);
        const mark = line ? h('span', { class: reason ? 'bad' : 'ok', title: reason || null, text: reason ? 'X' : 'O' }) : null;
        marks.appendChild(h('li', {}, h('span', { text: String(i + 1) }), mark));
        reasons.appendChild(h('li', { title: reason || null, text: reason }));
      });
      CD.$('#quick-count').textContent = count + ' / ' + options.max + '건';
      summary.textContent = bad.length ? '유효하지 않은 번호: ' + bad.join(', ') : '';
      marks.scrollTop = area.scrollTop;
      reasons.scrollTop = area.scrollTop;
    }

    // Keeps digits (at most 11 a line) and line breaks; the caret stays after the same kept character.
    function clean() {
      const raw = area.value;
      const caretAt = area.selectionStart;
      let out = '';
      let caret = 0;
      let digits = 0;
      for (let i = 0; i < raw.length; i++) {
        const c = raw[i];
        let keep = false;
        if (c === '\n') {
          keep = true;
          digits = 0;
        } else if (c >= '0' && c <= '9' && digits < 11) {
          keep = true;
          digits++;
        }
        if (keep) {
          out += c;
          if (i < caretAt) caret++;
        }
      }
      const filled = out.split('\n').filter((l) => l);
      if (filled.length > options.max) {
        out = filled.slice(0, options.max).join('\n');
        caret = out.length;
        options.onMessage('100개가 초과되었습니다. 초과된 휴대폰은 삭제됩니다.', 'warning');
      }
      if (out !== raw) {
        area.value = out;
        area.setSelectionRange(caret, caret);
      }
      draw();
    }

    function refuse() {
      area.classList.remove('cd-shake');
      void area.offsetWidth; // restart the animation
      area.classList.add('cd-shake');
    }

    area.addEventListener('input', clean);
    area.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter' || event.isComposing) return;
      const current = area.value.slice(0, area.selectionStart).split('\n').pop();
      if (count >= options.max) {
        event.preventDefault();
        refuse();
        options.onMessage('100개까지만 입력이 가능합니다.', 'warning');
      } else if (!current) {
        // An empty line (or the start of one) gets no line break: empty lines would only collapse again.
        event.preventDefault();
        refuse();
      }
    });
    area.addEventListener('scroll', () => {
      marks.scrollTop = area.scrollTop;
      reasons.scrollTop = area.scrollTop;
    });
    draw();

    return {
      lines,
      redraw: draw,
      clear() {
        area.value = '';
        draw();
      }
    };
  };
})();
