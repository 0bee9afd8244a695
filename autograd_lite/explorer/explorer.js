// The explorer page's script: step through the forward and the reverse pass of one graph.
// The steps (embedded JSON, made by autograd_lite/explorer/steps.py) hold every text shown;
// this script only highlights the SVG and fills the panel. No network, no library.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("al-data").textContent);
  const steps = data.steps;
  const panel = document.getElementById("al-panel");
  const slider = document.getElementById("al-slider");
  const counter = document.getElementById("al-counter");
  const MARKS = ["al-current", "al-flow", "al-input"];
  let current = 0;

  // --- building the panel (text only: nothing is parsed as HTML) ---------------------------
  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function row(label, value, cls) {
    const line = el("div", "al-row" + (cls ? " " + cls : ""));
    line.append(el("span", "al-label", label), el("code", "al-value", value));
    return line;
  }

  function strip(values) {
    // a heat-map strip: blue below zero, red above, white at zero, scaled by the largest
    const box = el("div", "al-strip");
    const finite = values.filter((v) => typeof v === "number");
    const scale = Math.max(1e-300, ...finite.map(Math.abs));
    for (const v of values) {
      const cell = el("span", "al-cell");
      cell.title = String(v);
      if (typeof v !== "number") {
        cell.style.backgroundColor = "#111827";
      } else {
        const t = Math.min(1, Math.abs(v) / scale);
        const fade = Math.round(255 * (1 - t));
        cell.style.backgroundColor =
          v >= 0 ? `rgb(255,${fade},${fade})` : `rgb(${fade},${fade},255)`;
      }
      box.append(cell);
    }
    return box;
  }

  function summary(label, s, cls) {
    const part = el("div", "al-summary");
    part.append(row(label, s.text, cls));
    if (s.strip) part.append(strip(s.strip));
    return part;
  }

  function matrix(rows) {
    const table = el("table", "al-matrix");
    for (const r of rows) {
      const tr = el("tr");
      for (const v of r) tr.append(el("td", null, typeof v === "number" ? fmt(v) : v));
      table.append(tr);
    }
    return table;
  }

  function fmt(v) {
    return Math.abs(v) < 1e-12 ? "0" : Number(v.toPrecision(4)).toString();
  }

  function difference(v) {
    // how far two computations of one gradient differ: rounding shows as, say, 2.8e-17
    return typeof v === "number" ? (v === 0 ? "0 (equal)" : v.toExponential(1)) : String(v);
  }

  function toggle(label, build) {
    const box = el("div", "al-toggle");
    const button = el("button", "al-toggle-button", label);
    button.type = "button";
    const body = el("div", "al-toggle-body");
    body.hidden = true;
    button.addEventListener("click", () => {
      if (!body.firstChild) body.append(...build());
      body.hidden = !body.hidden;
      button.classList.toggle("al-open", !body.hidden);
    });
    box.append(button, body);
    return box;
  }

  function title(s) {
    const attrs = Object.entries(s.attrs).map(([k, v]) => ` ${k}=${v}`).join("");
    const what = s.op ? `${s.name} = ${s.op}${attrs}` : `${s.name} (leaf)`;
    return el("h2", "al-step-title", `${s.phase} · ${what}`);
  }

  function forwardPanel(s) {
    const parts = [title(s)];
    s.inputs.forEach((x, i) => parts.push(summary(`input ${i}: ${x.name}`, x.value)));
    parts.push(summary("value", s.value, "al-out"));
    return parts;
  }

  function sentPart(x) {
    const part = el("div", "al-sent");
    part.append(row(`to ${x.input} (input ${x.argnum})`, `${x.rule}: ${x.formula}`, "al-rule"));
    part.append(summary("sent", x.grad, "al-grad"));
    if (x.accumulated) {
      const a = x.accumulated;
      part.append(
        row(`${x.input} is used again`, `had ${a.had}, + ${a.added}, = ${a.total}`, "al-acc")
      );
    }
    return part;
  }

  function jacobianPart(j, s) {
    return [
      el("p", null, `d ${s.name} / d input ${j.argnum}, one row per output element:`),
      matrix(j.matrix),
      row("J^T g", j.jtg),
      row("sent by the rule", j.sent),
      row("largest difference", difference(j.difference)),
    ];
  }

  function softmaxPart(m) {
    const parts = [el("h3", null, "softmax: the Jacobian and the O(n) rule" +
      (m.slice ? ` (${m.slice})` : ""))];
    parts.push(row("s", m.s), row("g", m.g));
    if (m.matrix) parts.push(el("p", null, "diag(s) - s s^T:"), matrix(m.matrix));
    parts.push(row("J^T g", m.jtg), row("s * (g - sum(g * s))", m.rule));
    parts.push(row("largest difference", difference(m.difference)));
    parts.push(toggle("the question's hand-written rule", () => {
      const side = el("div", "al-side");
      const right = el("div", "al-column");
      right.append(el("h4", null, "the engine's rule"), row("sends", m.rule));
      const wrong = el("div", "al-column al-wrong");
      wrong.append(
        el("h4", null, "the question's loop"),
        row("local gradient", m.asked_local),
        row("sends g * that", m.asked_sent),
        el("p", null, "It reads the input z where the output s belongs, and each pass of " +
          "its inner loop overwrites the last, so the i != j terms are lost."),
      );
      side.append(right, wrong);
      return [side];
    }));
    return parts;
  }

  function backwardPanel(s) {
    const parts = [title(s), summary("gradient in", s.grad, "al-grad")];
    if (s.stored) parts.push(el("p", "al-note", "a leaf: backward() stores this in .grad"));
    s.sent.forEach((x) => parts.push(sentPart(x)));
    if (s.jacobian && s.jacobian.length) {
      parts.push(toggle("local Jacobian", () => s.jacobian.flatMap((j) => jacobianPart(j, s))));
    }
    if (s.softmax) parts.push(...softmaxPart(s.softmax));
    return parts;
  }

  // --- stepping ---------------------------------------------------------------------------
  function mark(id, cls) {
    const node = id && document.getElementById(id);
    if (node) node.classList.add(cls);
  }

  function reveal(id) {
    // scroll the picture (not the page) so that the step's node is in sight
    const node = id && document.getElementById(id);
    const box = document.querySelector(".al-picture");
    if (!node || !box) return;
    const r = node.getBoundingClientRect();
    const b = box.getBoundingClientRect();
    if (r.top < b.top || r.bottom > b.bottom) {
      box.scrollTop += r.top - b.top - (b.height - r.height) / 2;
    }
    if (r.left < b.left || r.right > b.right) {
      box.scrollLeft += r.left - b.left - (b.width - r.width) / 2;
    }
  }

  function render() {
    const s = steps[current];
    for (const cls of MARKS) {
      document.querySelectorAll("." + cls).forEach((n) => n.classList.remove(cls));
    }
    mark(s.id, "al-current");
    mark(s.op_id, "al-current");
    s.edges.forEach((e) => mark(e, "al-flow"));
    (s.sent || []).forEach((x) => mark(x.input_id, "al-input"));
    reveal(s.id);
    slider.value = String(current);
    counter.textContent = `step ${current + 1} of ${steps.length} · ${s.phase}`;
    panel.replaceChildren(...(s.phase === "forward" ? forwardPanel(s) : backwardPanel(s)));
    if (data.omitted) {
      panel.append(el("p", "al-note", `${data.omitted.toLocaleString()} nodes further from ` +
        "the outputs are left out of this page (max_nodes)"));
    }
    document.body.dataset.step = String(current);
  }

  function go(i) {
    current = Math.max(0, Math.min(steps.length - 1, Math.trunc(Number(i)) || 0));
    render();
    return current;
  }

  const KEYS = { ArrowLeft: () => current - 1, ArrowRight: () => current + 1,
    Home: () => 0, End: () => steps.length - 1 };
  document.addEventListener("keydown", (event) => {
    const to = KEYS[event.key];
    if (!to || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();  // the slider would move a second time
    go(to());
  });
  document.getElementById("al-first").addEventListener("click", () => go(0));
  document.getElementById("al-prev").addEventListener("click", () => go(current - 1));
  document.getElementById("al-next").addEventListener("click", () => go(current + 1));
  document.getElementById("al-last").addEventListener("click", () => go(steps.length - 1));
  slider.addEventListener("input", () => go(slider.value));
  slider.max = String(Math.max(steps.length - 1, 0));

  window.autogradLite = {
    steps: steps.map((s) => ({
      id: s.id, name: s.name, phase: s.phase, gradient: s.phase === "backward" ? s.grad.text : null,
    })),
    go: go,
    step: (n) => go(current + (n === undefined ? 1 : n)),
    get current() { return current; },
  };
  if (steps.length) go(0);
})();
