/* Tollgate portal: small progressive enhancements on top of server-rendered pages and htmx. No inline
   scripts anywhere (the pages send a strict Content-Security-Policy), so everything hooks in from here. */
(function () {
  'use strict';

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute('content') : '';
  }

  /* Every htmx request carries the CSRF token as a header; plain forms carry it as a hidden field. */
  document.addEventListener('htmx:configRequest', function (e) {
    e.detail.headers['X-CSRF-Token'] = csrfToken();
  });

  function money(value) {
    var v = Number(value);
    if (v !== 0 && Math.abs(v) < 0.01) { return '$' + v.toPrecision(2); }
    return '$' + v.toFixed(2);
  }

  function renderCharts(root) {
    if (typeof Chart === 'undefined') { return; }
    (root || document).querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
      if (canvas.dataset.rendered) { return; }
      canvas.dataset.rendered = '1';
      var spec = JSON.parse(canvas.dataset.chart);
      var usd = spec.unit === 'usd';
      new Chart(canvas, {
        type: spec.type,
        data: { labels: spec.labels, datasets: spec.datasets.map(function (d) { return { label: d.label, data: d.data.map(Number) }; }) },
        options: {
          responsive: true, maintainAspectRatio: false, animation: false,
          plugins: { legend: { position: 'bottom' },
                     tooltip: { callbacks: { label: function (c) { return c.dataset.label + ': ' + (usd ? money(c.raw) : c.raw); } } } },
          scales: { x: { stacked: spec.stacked }, y: { stacked: spec.stacked, beginAtZero: true,
                    ticks: { callback: function (v) { return usd ? money(v) : v; } } } }
        }
      });
    });
  }

  function copy(button) {
    var source = document.querySelector(button.dataset.copy);
    if (!source) { return; }
    var text = source.textContent.trim();
    var done = function () { button.textContent = 'Copied'; setTimeout(function () { button.textContent = 'Copy'; }, 2000); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done);
    } else {
      var range = document.createRange();
      range.selectNodeContents(source);
      var sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      document.execCommand('copy');
      done();
    }
  }

  document.addEventListener('click', function (e) {
    var button = e.target.closest('[data-copy]');
    if (button) { e.preventDefault(); copy(button); return; }
    var play = e.target.closest('[data-playground-key]');
    if (play) {
      var secret = document.querySelector(play.dataset.playgroundKey);
      if (secret) { sessionStorage.setItem('tg_playground_key', secret.textContent.trim()); }
    }
  });

  /* Playground: a streamed chat completion straight from the browser to the gateway with the user's key.
     The submit handler is delegated from the document, so it is in place as soon as this script has run,
     whatever htmx swapped in since; the Send button stays disabled until the form is prepared, so the
     browser never submits the form itself (which would put the key in a URL). */
  function preparePlayground(form) {
    var keyInput = form.querySelector('[name=api_key]');
    var stored = sessionStorage.getItem('tg_playground_key');
    if (stored && !keyInput.value) { keyInput.value = stored; }
    keyInput.addEventListener('change', function () { loadModels(keyInput.value.trim()); });
    loadModels(keyInput.value.trim());
    form.querySelector('button[type=submit]').disabled = false;
  }

  /* Model suggestions from the gateway's /v1/models, once a key is known. */
  function loadModels(key) {
    var list = document.getElementById('play-models');
    if (!key || !list || list.dataset.loaded === key) { return; }
    fetch('/v1/models', { headers: { 'Authorization': 'Bearer ' + key } })
      .then(function (r) { return r.ok ? r.json() : { data: [] }; })
      .then(function (body) {
        list.dataset.loaded = key;
        (body.data || []).forEach(function (m) {
          var option = document.createElement('option');
          option.value = m.id;
          list.appendChild(option);
        });
      }).catch(function () { /* suggestions only */ });
  }

  /* Reads an SSE body event by event until the stream's [DONE] (or its end); onData gets each parsed data line. */
  function readEvents(response, onData) {
    var reader = response.body.getReader();
    var decoder = new TextDecoder();
    var buffer = '';
    var finished = false;
    function handle(event) {
      event.split(/\r?\n/).forEach(function (line) {
        if (finished || line.indexOf('data:') !== 0) { return; }
        var data = line.slice(5).trim();
        if (data === '[DONE]') { finished = true; return; }
        if (data) { onData(JSON.parse(data)); }
      });
    }
    function pump() {
      return reader.read().then(function (chunk) {
        if (chunk.done) {
          if (buffer.trim()) { handle(buffer); }
          return;
        }
        buffer += decoder.decode(chunk.value, { stream: true });
        var events = buffer.split(/\r?\n\r?\n/);
        buffer = events.pop();
        events.forEach(handle);
        if (finished) {
          // OpenAI's protocol ends at [DONE]; do not wait for the connection to close as well
          reader.cancel().catch(function () { /* already closed */ });
          return;
        }
        return pump();
      });
    }
    return pump();
  }

  function sendPlayground(form) {
    var key = form.querySelector('[name=api_key]').value.trim();
    var model = form.querySelector('[name=model]').value.trim();
    var message = form.querySelector('[name=message]').value;
    var answer = document.getElementById('play-answer');
    var stats = document.getElementById('play-stats');
    var cost = document.getElementById('play-cost');
    var status = document.getElementById('play-status');
    var button = form.querySelector('button[type=submit]');
    if (!key || !model || !message.trim()) {
      status.textContent = 'Enter an API key, a model and a message.';
      return;
    }
    sessionStorage.setItem('tg_playground_key', key);
    answer.textContent = '';
    stats.textContent = '';
    cost.textContent = '';
    status.textContent = 'Sending\u2026';
    button.disabled = true;
    var started = performance.now();
    var usage = null;
    var requestId = null;
    fetch('/v1/chat/completions', {
      method: 'POST',
      headers: { 'Authorization': 'Bearer ' + key, 'Content-Type': 'application/json', 'Accept': 'text/event-stream' },
      body: JSON.stringify({ model: model, stream: true, stream_options: { include_usage: true },
                             messages: [{ role: 'user', content: message }] })
    }).then(function (response) {
      requestId = response.headers.get('x-request-id');
      if (!response.ok) {
        return response.text().then(function (text) {
          var msg = 'HTTP ' + response.status;
          try { msg = JSON.parse(text).error.message || msg; } catch (ignored) { /* not JSON */ }
          throw new Error(msg);
        });
      }
      status.textContent = 'Streaming\u2026';
      return readEvents(response, function (json) {
        if (json.error) { throw new Error(json.error.message || 'stream error'); }
        (json.choices || []).forEach(function (c) {
          if (c.delta && c.delta.content) { answer.textContent += c.delta.content; }
        });
        if (json.usage) { usage = json.usage; }
      });
    }).then(function () {
      var seconds = ((performance.now() - started) / 1000).toFixed(1);
      status.textContent = 'Done in ' + seconds + ' s.';
      stats.textContent = usage
        ? usage.prompt_tokens + ' input tokens \u00b7 ' + usage.completion_tokens + ' output tokens \u00b7 ' + usage.total_tokens + ' total'
        : 'The provider reported no token count for this answer; see the request log.';
      if (requestId && typeof htmx !== 'undefined') {
        htmx.ajax('GET', '/requests/' + encodeURIComponent(requestId) + '/cost', { target: '#play-cost', swap: 'innerHTML' });
      }
    }).catch(function (err) {
      status.textContent = 'Failed: ' + err.message;
    }).finally(function () {
      button.disabled = false;
    });
  }

  document.addEventListener('submit', function (e) {
    if (e.target.id === 'playground') {
      e.preventDefault();
      sendPlayground(e.target);
    }
  });

  /* Sign-up: preselect the browser's time zone when the list offers it; otherwise UTC stays selected. */
  function detectZone(select) {
    var zone = typeof Intl === 'undefined' ? null : Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && Array.prototype.some.call(select.options, function (o) { return o.value === zone; })) {
      select.value = zone;
    }
  }

  /* Key form: offer only the routes the chosen project's keys may bind (its own, and the tenant-wide ones it has none of the same name of). */
  function filterRoutes(form) {
    var project = form.querySelector('[name=project_id]');
    var route = form.querySelector('[name=route]');
    if (!project || !route) { return; }
    var own = {};
    route.querySelectorAll('option[data-project]').forEach(function (o) {
      var foreign = o.dataset.project !== project.value;
      o.hidden = foreign;
      o.disabled = foreign;
      if (foreign && o.selected) { route.value = ''; }
      if (!foreign) { own[o.value] = o; }
    });
    /* a tenant-wide route the project has its own of the same name is not the one its keys follow */
    route.querySelectorAll('option:not([data-project])').forEach(function (o) {
      var shadowed = o.value !== '' && own.hasOwnProperty(o.value);
      o.hidden = shadowed;
      o.disabled = shadowed;
      if (shadowed && o.selected) { own[o.value].selected = true; }
    });
  }

  document.addEventListener('change', function (e) {
    var form = e.target.name === 'project_id' && e.target.closest('form[data-route-filter]');
    if (form) { filterRoutes(form); }
  });

  function init(root) {
    renderCharts(root);
    var scope = root || document;
    scope.querySelectorAll('select[data-detect-zone]').forEach(detectZone);
    scope.querySelectorAll('form[data-route-filter]').forEach(filterRoutes);
    var form = scope.matches && scope.matches('#playground') ? scope : scope.querySelector('#playground');
    if (form && !form.dataset.ready) { form.dataset.ready = '1'; preparePlayground(form); }
  }

  document.addEventListener('DOMContentLoaded', function () { init(document); });
  document.addEventListener('htmx:load', function (e) { init(e.detail.elt); });
  /* a boosted navigation swaps the whole body: look again once it has settled */
  document.addEventListener('htmx:afterSettle', function () { init(document); });
})();
