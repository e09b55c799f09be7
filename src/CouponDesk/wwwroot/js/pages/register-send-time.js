// 발송 예약일시 of 발송등록 (spec §3.2.1 field 7, §5.1; issue 14 point 4). The picker offers only allowed times: from
// the earliest allowed time (now + the preparation lead for the campaign's size and the queue ahead, as the server
// computes it: GET /api/campaigns/send-time) on 5-minute steps, up to the days-ahead limit. A typed time stays in the
// field and a wrong one gets its own message next to it at once; 즉시 발송 shows the earliest time it will use. The
// server's submit check stays the judge. Times are KST wall clock "YYYY-MM-DD HH:mm" (the page runs in KST).
(function () {
  'use strict';
  const CD = window.CD;
  const FORMAT = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/;
  const STEP_MS = 5 * 60000;
  const KST_MS = 9 * 3600000;
  const RECHECK_MS = 30000;

  /** Wires form.scheduledAt and the 예약/즉시 radios; onChange() runs whenever the chosen time changes. */
  CD.sendTime = function (form, onChange) {
    const input = form.scheduledAt;
    const hint = CD.$('#scheduled-hint');
    let win = null; // the server's answer: earliest, leadMinutes, latest, maxDaysAhead, night window
    let typed = null; // what the operator typed, kept when the picker refuses it

    const picker = window.flatpickr(input, {
      locale: 'ko',
      enableTime: true,
      time_24hr: true,
      minuteIncrement: 5,
      dateFormat: 'Y-m-d H:i',
      allowInput: true,
      disableMobile: true,
      defaultHour: 10,
      defaultMinute: 0,
      minDate: earliest(),
      // A text the picker cannot read is explained next to the field (check) instead of a console warning.
      errorHandler: () => {},
      onChange: (dates) => {
        if (dates.length) typed = null;
        else restoreTyped();
        check();
        onChange();
      },
      // Closing by a click or a focus elsewhere re-reads the text without a change event: a refused one comes back.
      onClose: () => {
        restoreTyped();
        check();
      }
    });
    input.addEventListener('input', () => {
      typed = input.value;
    });
    input.addEventListener('blur', () => {
      restoreTyped();
      check();
    });
    CD.$$('input[name=sendMode]', form).forEach((radio) =>
      radio.addEventListener('change', () => {
        const now = isImmediate();
        input.disabled = now;
        if (now) showImmediate();
        check();
        onChange();
      })
    );
    // Time passes while the form is open: the earliest time moves on, and a chosen time may fall behind it.
    window.setInterval(() => {
      apply();
    }, RECHECK_MS);
    apply();

    function isImmediate() {
      return form.sendMode.value === 'NOW';
    }

    function restoreTyped() {
      if (typed && !input.value) input.value = typed;
    }

    function leadMinutes() {
      return win ? win.leadMinutes : 10;
    }

    // KST wall clock of an instant, on the next 5-minute step (KST is a whole-hour offset: UTC steps are KST steps).
    function onStep(ms) {
      return CD.fmt.dateTime(new Date(Math.ceil(ms / STEP_MS) * STEP_MS));
    }

    function earliest() {
      const local = onStep(Date.now() + leadMinutes() * 60000);
      return win && win.earliest > local ? win.earliest : local;
    }

    function parse(text) {
      const m = FORMAT.exec(text);
      if (!m) return null;
      const [y, mo, d, h, mi] = m.slice(1).map(Number);
      const wall = new Date(Date.UTC(y, mo - 1, d, h, mi));
      if (wall.getUTCFullYear() !== y || wall.getUTCMonth() !== mo - 1 || wall.getUTCDate() !== d || wall.getUTCHours() !== h || wall.getUTCMinutes() !== mi) return null;
      return new Date(wall.getTime() - KST_MS);
    }

    // "HH:mm" today, the full date otherwise (as the server words it).
    function short(text) {
      return text.slice(0, 10) === CD.fmt.todayKst() ? text.slice(11) : text;
    }

    function nightHours() {
      return win ? [win.nightStartHour, win.nightEndHour] : [21, 8];
    }

    function chosen() {
      return isImmediate() ? earliest() : input.value.trim();
    }

    function isNight() {
      const text = chosen();
      if (!FORMAT.test(text)) return false;
      const hour = Number(text.slice(11, 13));
      const [start, end] = nightHours();
      return start > end ? hour >= start || hour < end : hour >= start && hour < end;
    }

    /** The message for the chosen time, or null when it is allowed (or empty: required is checked on 저장/발송). */
    function problem() {
      if (isImmediate()) return null;
      const text = input.value.trim();
      if (!text) return null;
      const at = parse(text);
      if (!at) return "발송 예약일시는 'YYYY-MM-DD HH:mm' 형식으로 입력해 주세요. (예: " + earliest() + ')';
      if (at.getTime() <= Date.now()) return '발송 예약일시가 이미 지났습니다. 현재 이후의 시각을 선택해 주세요.';
      const first = earliest();
      if (text < first) return '발송 예약일시는 ' + short(first) + ' 이후로 선택해 주세요. (발송 준비에 약 ' + leadMinutes() + '분 필요)';
      if (win && text > win.latest) return '발송 예약일시는 ' + win.maxDaysAhead + '일 이내로 선택해 주세요.';
      if (win && win.nightBlocked && isNight()) {
        const [start, end] = nightHours();
        return '야간(' + start + '시~' + String(end).padStart(2, '0') + '시)에는 발송할 수 없습니다. 다른 시각을 선택해 주세요.';
      }
      return null;
    }

    /** Shows (or clears) the field's own message; returns it. */
    function check() {
      CD.forms.clearField(form, 'scheduledAt');
      const message = problem();
      if (message) CD.forms.fieldError(form, 'scheduledAt', message);
      return message;
    }

    function showImmediate() {
      picker.setDate(earliest(), false);
      typed = null;
    }

    function apply() {
      const first = earliest();
      picker.set('minDate', first);
      if (win) picker.set('maxDate', win.latest);
      hint.textContent = isImmediate()
        ? '즉시 발송: 발송 준비가 끝나는 가장 빠른 시각(' + short(first) + ')에 발송합니다. (발송 준비 약 ' + leadMinutes() + '분)'
        : '한국 시간(KST) 기준, 5분 단위 · 최소 ' + short(first) + ' 이후 선택 가능 (발송 준비 약 ' + leadMinutes() + '분)';
      if (isImmediate()) showImmediate();
      if (input.value) check();
    }

    return {
      problem,
      check,
      isNight,
      /** The allowed window for a campaign of n recipients (the lead grows with its size). */
      async refresh(recipients) {
        try {
          win = await CD.api('GET', '/api/campaigns/send-time', { query: { recipients: recipients || 0 } });
        } catch (e) {
          if (e.redirected) return;
          win = null; // the local rule (10 minutes) until the server answers again; the submit check decides anyway
        }
        apply();
      },
      /** The value a draft may hold: an allowed time, else none (the field keeps showing its message). */
      valueForSave() {
        return !isImmediate() && input.value.trim() && !problem() ? input.value.trim() : null;
      },
      /** A stored draft's time, shown as it is (checked like a typed one). */
      show(text) {
        input.value = text;
        typed = text;
        const at = parse(text);
        if (at && !problem()) picker.setDate(text, false, 'Y-m-d H:i');
        check();
      },
      /** Focus without opening the calendar over the message. */
      focus() {
        input.focus();
        picker.close();
      },
      applyMode() {
        input.disabled = isImmediate();
        apply();
      }
    };
  };
})();
