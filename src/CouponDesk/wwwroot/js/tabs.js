// One sign-in per browser, shared by its tabs (spec §2.5 counts sessions per user, not per tab; issue 14).
// The token stays in each tab's sessionStorage (never persistent storage); tabs of the same origin pass it to one
// another over a BroadcastChannel: a tab opened without a token (Ctrl+click, a typed address) asks the open tabs for
// theirs, a login is adopted by every tab, a logout or an ended session signs every tab out, and each tab's API
// activity restarts the idle countdown in all of them. Without BroadcastChannel (or when no other tab is open) a tab
// behaves as before: it needs its own login.
(function () {
  'use strict';

  const CD = window.CD;
  const ASK_TIMEOUT_MS = 700;
  const ACTIVITY_THROTTLE_MS = 1000;
  const handlers = {};
  let channel = null;
  const tabId = Math.random().toString(36).slice(2) + Date.now().toString(36);
  let lastActivitySent = 0;
  let pendingAsk = null;

  try {
    if (typeof window.BroadcastChannel === 'function') channel = new window.BroadcastChannel('coupondesk.session');
  } catch (e) {
    channel = null; // an opaque origin (a page opened from a file) may refuse it: every tab then signs in on its own
  }

  function post(message) {
    if (!channel) return;
    try {
      channel.postMessage(message);
    } catch (e) {
      // a closing channel: nothing to tell
    }
  }

  function currentToken() {
    const session = CD.session.get();
    return session && session.token ? session.token : null;
  }

  if (channel) {
    channel.addEventListener('message', (event) => {
      const message = event.data || {};
      const token = currentToken();
      switch (message.type) {
        case 'ask':
          // Only a tab that is signed in answers, and only with the session it holds.
          if (token) post({ type: 'share', to: message.from, session: CD.session.get() });
          break;
        case 'share':
          if (message.to === tabId && pendingAsk && message.session && message.session.token) pendingAsk(message.session);
          break;
        case 'login':
          if (message.session && message.session.token && token && token !== message.session.token) {
            const sameUser = (CD.session.get() || {}).loginId === message.session.loginId;
            CD.session.set(message.session);
            // Another account signed in in this browser: this page was drawn for the previous one.
            if (!sameUser) CD.go(window.location.href);
          }
          break;
        case 'ended':
          // Logout or an ended session in another tab: only the same session ends here (a newer login is kept).
          if (token && token === message.token) {
            CD.session.clear();
            if (message.text) CD.flash.set(message.text, message.kind || 'info');
            (handlers.ended || []).forEach((fn) => fn(message));
            CD.go('login.html');
          }
          break;
        case 'activity':
          if (token && token === message.token) (handlers.activity || []).forEach((fn) => fn());
          break;
        default:
          break;
      }
    });
  }

  CD.tabs = {
    /** Resolves this tab's session, asking the other open tabs for theirs when it has none (null: nobody is signed in). */
    obtain() {
      const own = CD.session.get();
      if ((own && own.token) || !channel) return Promise.resolve(own && own.token ? own : null);
      return new Promise((resolve) => {
        const timer = window.setTimeout(() => {
          pendingAsk = null;
          resolve(null);
        }, ASK_TIMEOUT_MS);
        pendingAsk = (session) => {
          window.clearTimeout(timer);
          pendingAsk = null;
          CD.session.set(session);
          resolve(session);
        };
        post({ type: 'ask', from: tabId });
      });
    },
    /** After a login in this tab: every other signed-in tab continues with the new session. */
    loggedIn(session) {
      post({ type: 'login', session });
    },
    /** The session of this tab ended (logout, expiry, revocation): the tabs sharing it go to the login page too. */
    ended(token, text, kind) {
      if (token) post({ type: 'ended', token, text: text || null, kind: kind || 'info' });
    },
    /** An answered API call in this tab is activity for every tab (the server counts the session's requests). */
    activity() {
      const token = currentToken();
      const now = Date.now();
      if (!token || now - lastActivitySent < ACTIVITY_THROTTLE_MS) return;
      lastActivitySent = now;
      post({ type: 'activity', token });
    },
    on(type, fn) {
      (handlers[type] = handlers[type] || []).push(fn);
    }
  };
})();
