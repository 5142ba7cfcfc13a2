/**
 * The page's style sheet, inlined into the report (no external resources).
 */
export const STYLE = `
:root{--ink:#1f2328;--muted:#656d76;--line:#d8dee4;--bg:#f6f8fa;--card:#fff;--good:#1a7f37;--bad:#cf222e;--accent:#4e79a7}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1280px;margin:0 auto;padding:20px 24px 40px}
h1{font-size:24px;margin:0 0 2px}
h2{font-size:18px;margin:0}
h3{font-size:14px;margin:18px 0 8px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
header.top{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:18px 22px;margin-bottom:18px}
.title-row{display:flex;justify-content:space-between;align-items:flex-start;gap:16px;flex-wrap:wrap}
.config{margin:0;color:var(--muted);font-size:15px}
.generated{margin:10px 0 0;color:var(--muted);font-size:12px}
.verdict{font-weight:600;padding:8px 14px;border-radius:8px;font-size:15px;white-space:nowrap}
.verdict.pass{background:#dafbe1;color:var(--good);border:1px solid #aceebb}
.verdict.fail{background:#ffebe9;color:var(--bad);border:1px solid #ffcecb}
.verdict.unknown{background:#eaeef2;color:var(--muted);border:1px solid var(--line)}
dl.stats{display:flex;flex-wrap:wrap;gap:10px;margin:14px 0 0}
.stat{background:var(--bg);border:1px solid var(--line);border-radius:8px;padding:8px 12px;min-width:120px}
.stat dt{font-size:11px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.stat dd{margin:2px 0 0;font-size:18px;font-weight:600;font-variant-numeric:tabular-nums}
nav.toc{display:flex;flex-wrap:wrap;gap:8px;margin:-6px 0 18px}
nav.toc a{font-size:13px;text-decoration:none;padding:4px 10px;border-radius:999px;border:1px solid var(--line);background:var(--card);color:var(--ink)}
nav.toc a::before{content:"";display:inline-block;width:8px;height:8px;border-radius:50%;margin-right:6px;background:#8c959f;vertical-align:1px}
nav.toc a.ok::before{background:var(--accent)}nav.toc a.pass::before{background:var(--good)}nav.toc a.fail::before{background:var(--bad)}
nav.toc a.none{color:var(--muted);border-style:dashed}
section.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:18px 22px;margin-bottom:18px}
section.card>header{margin-bottom:10px}
.sub{margin:4px 0 0;color:var(--muted)}
.row2{display:grid;grid-template-columns:repeat(auto-fit,minmax(460px,1fr));gap:18px;align-items:start}
figure{margin:0 0 10px}
figcaption{color:var(--muted);font-size:12px;margin-top:4px}
svg.chart{width:100%;height:auto;display:block;font-family:inherit}
figure.heat svg.chart{width:auto;max-width:100%}
.chart .grid{stroke:#eaeef2;stroke-width:1}
.chart .axis{stroke:#8c959f;stroke-width:1}
.chart .tick{font-size:11px;fill:var(--muted)}
.chart .legend{font-size:12px;fill:var(--ink)}
.chart .axis-label{font-size:12px;fill:var(--muted)}
.chart .series{fill:none;stroke-width:2}
.chart .vline{stroke:#8c959f;stroke-dasharray:3 3}
.chart .vlabel{font-size:11px;fill:var(--muted)}
.chart .bar-value{font-size:11px;fill:var(--ink);font-variant-numeric:tabular-nums}
.chart .not-run{font-size:11px;fill:#8c959f;font-style:italic}
.chart .note{font-size:10px;fill:#8c959f}
.chart .mark:hover,.chart .seg:hover{opacity:.8}
.chart .cell-label{font-variant-numeric:tabular-nums;pointer-events:none}
table.data{border-collapse:collapse;width:100%;font-size:13px;margin:6px 0 4px}
table.data th{text-align:left;font-weight:600;color:var(--muted);border-bottom:2px solid var(--line);padding:5px 8px;white-space:nowrap}
table.data td{border-bottom:1px solid #eaeef2;padding:5px 8px;vertical-align:top}
table.data td:first-child{white-space:nowrap}
table.data .num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.data.compact td,table.data.compact th{padding:2px 8px}
td.good{color:var(--good)}td.bad{color:var(--bad);font-weight:600}td.muted{color:var(--muted);font-style:italic}
.not-run-box{border:1px dashed #afb8c1;border-radius:8px;padding:12px 14px;color:var(--muted);background:#fafbfc}
.not-run-box strong{color:#57606a;text-transform:uppercase;font-size:12px;letter-spacing:.05em}
.pass-box{border:1px solid #aceebb;background:#dafbe1;color:#116329;border-radius:8px;padding:12px 14px}
.fail-box{border:1px solid #ffcecb;background:#ffebe9;color:#82071e;border-radius:8px;padding:12px 14px;margin-bottom:8px}
.mismatch-top{display:flex;gap:24px;align-items:flex-start}
.mismatch-top>div{flex:1}
svg.array-map{width:auto;flex:none}
.wave{overflow-x:auto;border:1px solid var(--line);border-radius:8px;padding:8px;background:#fff;margin-top:10px}
.wave svg{display:block}
footer{color:var(--muted);font-size:12px;margin-top:8px}
footer code{font-size:11px}
@media print{body{background:#fff}section.card,header.top{break-inside:avoid;border-color:#bbb}}
`;
