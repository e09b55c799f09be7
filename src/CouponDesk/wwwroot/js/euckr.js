// EUC-KR byte counting for the MMS title and body, matching the server's strict rules (spec §0.3): ASCII is 1 byte,
// a KS X 1001 character (Hangul, Hanja, symbols) 2 bytes, a line break (LF) 1 byte; any other character — emoji,
// CP949-only syllables such as '똠', other scripts — and control characters other than LF cannot be sent.
// The set of KS X 1001 characters is built once by decoding every two-byte code 0xA1A1–0xFEFE with the browser's
// EUC-KR decoder (those codes are the same in strict EUC-KR and CP949), so no table ships with the page.
(function () {
  'use strict';
  const CD = (window.CD = window.CD || {});
  let table = null;

  function build() {
    const set = new Set();
    const decoder = new TextDecoder('euc-kr');
    for (let lead = 0xa1; lead <= 0xfe; lead++) {
      for (let trail = 0xa1; trail <= 0xfe; trail++) {
        const ch = decoder.decode(new Uint8Array([lead, trail]));
        if (ch.length === 1 && ch !== '\ufffd') set.add(ch.codePointAt(0));
      }
    }
    // The browsers' table is the carriers' table; the server corrects .NET's one odd slot to match it
    // (docs/decisions.md D-UI-6; the browser test compares the whole table with the server's).
    return set;
  }

  function isControl(cp) {
    return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
  }

  /** { bytes, chars, unencodable: [characters, each once] } for text with line breaks normalised to LF. */
  function measure(text) {
    if (!table) table = build();
    const normalised = String(text || '').replace(/\r\n?/g, '\n');
    let bytes = 0;
    let chars = 0;
    const bad = [];
    for (const ch of normalised) {
      chars++;
      const cp = ch.codePointAt(0);
      if (cp === 0x0a) bytes += 1;
      else if (isControl(cp)) {
        bytes += 1; // counted as the server counts it, and refused
        if (bad.indexOf(ch) < 0) bad.push(ch);
      } else if (cp < 0x80) bytes += 1;
      else if (table.has(cp)) bytes += 2;
      else if (bad.indexOf(ch) < 0) bad.push(ch);
    }
    return { bytes, chars, unencodable: bad };
  }

  /** Every character that takes two bytes, in code point order (the browser test compares it with .NET's). */
  function twoByteCharacters() {
    if (!table) table = build();
    return Array.from(table).sort((a, b) => a - b).map((cp) => String.fromCodePoint(cp)).join('');
  }

  CD.eucKr = Object.freeze({ measure, twoByteCharacters });
})();
