// Follows a campaign's pipeline progress (issue 8 "Observable"). The server-sent-event stream needs the bearer token,
// which EventSource cannot send, so the stream is read with fetch() + ReadableStream and the Authorization header.
// When streaming is not possible (no ReadableStream, refused, cut off before the campaign finished), it falls back
// to polling the progress JSON every 5 s. handlers: { progress(p), end(p) }; returns { stop() }.
(function () {
  'use strict';
  const CD = window.CD;
  const POLL_MS = 5000;

  function isFinal(p) {
    return !!p.finishedAt || ['CANCELLED', 'DRAFT', 'COMPLETED', 'PARTIALLY_FAILED', 'FAILED'].indexOf(p.status) >= 0;
  }

  CD.followProgress = function (campaignId, handlers) {
    const path = '/api/campaigns/' + encodeURIComponent(campaignId) + '/pipeline/progress';
    const controller = new AbortController();
    const state = { stopped: false, timer: null, mode: 'stream', last: null };

    function deliver(p) {
      if (state.stopped) return;
      state.last = p;
      handlers.progress(p);
      if (isFinal(p)) finish(p);
    }

    function finish(p) {
      if (state.stopped) return;
      state.stopped = true;
      controller.abort();
      window.clearTimeout(state.timer);
      if (handlers.end) handlers.end(p);
    }

    function handleBlock(block) {
      let event = 'message';
      const data = [];
      block.split('\n').forEach((line) => {
        if (line.indexOf('event:') === 0) event = line.slice(6).trim();
        else if (line.indexOf('data:') === 0) data.push(line.slice(5).replace(/^ /, ''));
      });
      if (event === 'progress' && data.length) deliver(JSON.parse(data.join('\n')));
    }

    async function stream() {
      const session = CD.session.get();
      if (!window.ReadableStream || !window.TextDecoder || !session || !session.token) throw new Error('no stream');
      const response = await fetch(CD.apiUrl(path + '/stream'), {
        headers: { Accept: 'text/event-stream', Authorization: 'Bearer ' + session.token },
        cache: 'no-store',
        credentials: 'omit',
        signal: controller.signal
      });
      if (!response.ok || !response.body) throw new Error('stream refused ' + response.status);
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) break;
        buffer += decoder.decode(chunk.value, { stream: true }).replace(/\r\n/g, '\n');
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          handleBlock(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    }

    async function poll() {
      if (state.stopped) return;
      try {
        deliver(await CD.api('GET', path));
      } catch (e) {
        if (e.redirected) {
          state.stopped = true;
          return;
        }
      }
      if (!state.stopped) state.timer = window.setTimeout(poll, POLL_MS);
    }

    stream()
      .catch(() => null)
      .then(() => {
        // The stream ended without a final state (refused, cut off, proxy timeout): carry on by polling.
        if (state.stopped) return;
        state.mode = 'poll';
        poll();
      });

    return {
      get mode() {
        return state.mode;
      },
      stop() {
        state.stopped = true;
        controller.abort();
        window.clearTimeout(state.timer);
      }
    };
  };

  // The four stage bars of spec §3.3.3 from a progress answer (the dashboard API's CampaignBoard does the same).
  CD.progressStages = function (p) {
    const n = (key) => (p.items && p.items[key]) || 0;
    return {
      issued: n('ISSUED') + n('RENDER_FAILED') + p.prepared,
      rendered: p.prepared,
      queued: p.prepared,
      results: n('SENT') + n('SEND_FAILED'),
      succeeded: n('SENT'),
      failed: n('ISSUE_FAILED') + n('RENDER_FAILED') + n('SEND_FAILED')
    };
  };
})();
