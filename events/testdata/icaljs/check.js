// check.js reads Salon's .ics files with ical.js, a parser written
// independently of ours and of golang-ical, and checks each file against
// what the Go test expects. Run by TestICalJS:
//
//   node check.js expectations.json
//
// expectations.json: [{"file": "/abs/path.ics", "events": [{"uid", "start",
// "end", "summary", "location", "description", "status", "sequence"}]}],
// start and end as UTC ISO strings ("2026-12-05T11:00:00.000Z").
// Exit status 1 on any parse error, warning or mismatch.
import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';

const problems = [];
let current = '';
const fail = (msg) => problems.push(`${current}: ${msg}`);

// ical.js reports recoverable trouble through console.warn/error; any of it
// counts as a failure here.
for (const level of ['warn', 'error']) {
  console[level] = (...args) => fail(`ical.js ${level}: ${args.join(' ')}`);
}

function checkLines(text) {
  if (!text.endsWith('\r\n')) fail('does not end with CRLF');
  const lines = text.split('\r\n');
  lines.pop();
  lines.forEach((line, i) => {
    if (/[\r\n]/.test(line)) fail(`line ${i + 1}: bare CR or LF`);
    const octets = Buffer.byteLength(line, 'utf8');
    if (octets > 75) fail(`line ${i + 1}: ${octets} octets`);
    if (Buffer.from(line, 'utf8').toString('utf8') !== line || line.includes('\uFFFD')) {
      fail(`line ${i + 1}: not valid UTF-8 on its own`);
    }
  });
}

function iso(time) {
  return new Date(time.toUnixTime() * 1000).toISOString();
}

function checkEvent(ev, want, zones) {
  const eq = (what, got, exp) => {
    if (got !== exp) fail(`${want.uid} ${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(exp)}`);
  };
  eq('UID', ev.getFirstPropertyValue('uid'), want.uid);
  eq('SUMMARY', ev.getFirstPropertyValue('summary'), want.summary);
  eq('LOCATION', ev.getFirstPropertyValue('location') ?? '', want.location);
  eq('DESCRIPTION', ev.getFirstPropertyValue('description'), want.description);
  eq('STATUS', ev.getFirstPropertyValue('status'), want.status);
  eq('SEQUENCE', ev.getFirstPropertyValue('sequence'), want.sequence);
  if (!ev.hasProperty('dtstamp')) fail(`${want.uid}: no DTSTAMP`);
  for (const [name, exp] of [['dtstart', want.start], ['dtend', want.end]]) {
    const prop = ev.getFirstProperty(name);
    if (!prop) {
      fail(`${want.uid}: no ${name}`);
      continue;
    }
    const tzid = prop.getParameter('tzid');
    const value = prop.getFirstValue();
    if (tzid) {
      if (!zones.has(tzid)) fail(`${want.uid} ${name}: TZID ${tzid} has no VTIMEZONE in the file`);
      if (value.zone?.tzid !== tzid) fail(`${want.uid} ${name}: zone ${tzid} not resolved`);
    } else if (!value.zone || value.zone.tzid !== 'UTC') {
      fail(`${want.uid} ${name}: floating time`);
    }
    eq(name, iso(value), exp);
  }
}

const expectations = JSON.parse(readFileSync(process.argv[2], 'utf8'));
for (const { file, events } of expectations) {
  current = file;
  try {
    const text = readFileSync(file, 'utf8');
    checkLines(text);
    ICAL.TimezoneService.reset();
    const cal = new ICAL.Component(ICAL.parse(text));
    if (cal.name !== 'vcalendar') fail(`top component is ${cal.name}`);
    for (const p of ['prodid', 'version', 'calscale', 'method']) {
      if (!cal.hasProperty(p)) fail(`no ${p.toUpperCase()}`);
    }
    const zones = new Set();
    for (const vtz of cal.getAllSubcomponents('vtimezone')) {
      const tz = new ICAL.Timezone(vtz);
      zones.add(tz.tzid);
      ICAL.TimezoneService.register(tz);
    }
    const got = cal.getAllSubcomponents('vevent');
    if (got.length !== events.length) fail(`${got.length} VEVENTs, want ${events.length}`);
    const other = cal.getAllSubcomponents().filter((c) => !['vevent', 'vtimezone'].includes(c.name));
    if (other.length) fail(`unexpected components: ${other.map((c) => c.name).join(', ')}`);
    for (const ev of got) {
      if (ev.getAllSubcomponents().length) fail('VEVENT has subcomponents');
    }
    got.forEach((ev, i) => events[i] && checkEvent(ev, events[i], zones));
  } catch (err) {
    fail(`parse error: ${err.message}`);
  }
}

if (problems.length) {
  for (const p of problems) process.stderr.write(p + '\n');
  process.exit(1);
}
process.stdout.write(`ok: ${expectations.length} files\n`);
