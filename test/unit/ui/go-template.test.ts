import assert from 'node:assert/strict';
import { parseGoTemplate, TemplateError } from '../../../src/ui/go-template.js';
import { renderList } from '../../../src/ui/list-format.js';
import { tabwrite } from '../../../src/ui/table.js';
import { UsageError } from '../../../src/errors.js';

const run = (source: string, data: unknown): string => parseGoTemplate(source).execute(data);

describe('go-template: the text/template subset behind --format', () => {
  const row = {
    Name: 'app-web-1', State: 'running', Service: 'web', Count: 3, Ratio: 0.5, Empty: '',
    Names: ['a', 'b'], None: [], Labels: new Map([['x', '1'], ['y', '2']]),
    Label: (name: unknown) => (name === 'x' ? '1' : ''),
    Nested: { Inner: { Value: 'deep' } },
  };

  it('prints fields, nested fields, dot and literals', () => {
    assert.equal(run('{{.Name}} {{.State}}', row), 'app-web-1 running');
    assert.equal(run('{{.Nested.Inner.Value}}', row), 'deep');
    assert.equal(run('{{.Count}} {{.Ratio}} {{true}} {{"q\\tx"}} {{`raw\\t`}} {{42}}', row), '3 0.5 true q\tx raw\\t 42');
    assert.equal(run('{{.}}', 'plain'), 'plain');
    assert.equal(run('{{.Names}}', row), '[a b]');
    assert.equal(run('{{.Labels}}', row), 'map[x:1 y:2]');
  });

  it('a field that is a method takes arguments ({{.Label "x"}})', () => {
    assert.equal(run('{{.Label "x"}}|{{.Label "z"}}', row), '1|');
  });

  it('the docker CLI functions: json, join, split, upper, lower, title, truncate, pad, println', () => {
    assert.equal(run('{{json .Name}}', row), '"app-web-1"');
    assert.equal(run('{{json .}}', { A: 1, B: 'x<y' }), '{"A":1,"B":"x<y"}');
    assert.equal(run('{{join .Names ","}}', row), 'a,b');
    assert.equal(run('{{split .Name "-"}}', row), '[app web 1]');
    assert.equal(run('{{join (split .Name "-") "+"}}', row), 'app+web+1');
    assert.equal(run('{{upper .Service}} {{lower "ABC"}} {{title "hello big world"}}', row), 'WEB abc Hello Big World');
    assert.equal(run('{{truncate .Name 3}}|{{truncate "ab" 5}}', row), 'app|ab');
    assert.equal(run('[{{pad .Service 2 1}}][{{pad .Empty 2 1}}]', row), '[  web ][]');
    assert.equal(run('{{println .Service .Count}}', row), 'web 3\n');
  });

  it('pipelines pass the value as the last argument', () => {
    assert.equal(run('{{.Service | upper}}', row), 'WEB');
    assert.equal(run('{{.Name | truncate 3 | upper}}'.replace('truncate 3', 'printf "%.3s"'), row), 'APP');
    assert.equal(run('{{printf "%s=%d %5s|%-4s|" .Service .Count "r" "l"}}', row), 'web=3     r|l   |');
  });

  it('if / else if / else, with, range, and / or / not, comparisons, len, index', () => {
    assert.equal(run('{{if eq .State "running"}}up{{else}}down{{end}}', row), 'up');
    assert.equal(run('{{if .Empty}}a{{else if gt .Count 2}}b{{else}}c{{end}}', row), 'b');
    assert.equal(run('{{with .Nested.Inner}}{{.Value}}{{end}}', row), 'deep');
    assert.equal(run('{{with .Empty}}x{{else}}none{{end}}', row), 'none');
    assert.equal(run('{{range .Names}}<{{.}}>{{end}}', row), '<a><b>');
    assert.equal(run('{{range $i, $n := .Names}}{{$i}}={{$n}} {{end}}', row), '0=a 1=b ');
    assert.equal(run('{{range $k, $v := .Labels}}{{$k}}:{{$v}};{{end}}', row), 'x:1;y:2;');
    assert.equal(run('{{range .None}}x{{else}}empty{{end}}', row), 'empty');
    assert.equal(run('{{range .Names}}{{$.Service}}{{end}}', row), 'webweb');
    assert.equal(run('{{and .Name .Empty}}|{{or .Empty .Service}}|{{not .Empty}}', row), '|web|true');
    assert.equal(run('{{len .Names}} {{index .Names 1}} {{index .Labels "y"}}', row), '2 b 2');
    assert.equal(run('{{$s := .Service}}{{$s}}-{{$s}}', row), 'web-web');
  });

  it('trim markers and comments', () => {
    assert.equal(run('a  {{- .Service -}}  b{{/* note */}}', row), 'awebb');
    assert.equal(run('state: {{- pad .State 1 0}}', row), 'state: running');
  });

  it('errors: unknown field, unknown function, unclosed action or block', () => {
    assert.throws(() => run('{{.Nope}}', row), TemplateError);
    assert.throws(() => parseGoTemplate('{{nope .Name}}'), /function "nope" not defined/);
    assert.throws(() => parseGoTemplate('{{.Name'), /unclosed action/);
    assert.throws(() => parseGoTemplate('{{if .Name}}x'), /missing \{\{end\}\}/);
    assert.throws(() => run('{{join .Name ","}}', row), TemplateError);
  });
});

describe('renderList: the docker CLI formatter (table, json, templates)', () => {
  const layout = { table: 'table {{.Name}}\t{{.State}}', headers: { Name: 'NAME', State: 'STATE', Service: 'SERVICE' } };
  const rows = [{ Name: 'p-web-1', State: 'running', Service: 'web' }, { Name: 'p-database-1', State: 'exited', Service: 'database' }];

  it('table is the default layout with headers, columns at least 10 wide plus 3 spaces', () => {
    assert.equal(renderList('table', rows, layout), 'NAME           STATE\np-web-1        running\np-database-1   exited');
  });

  it('table TEMPLATE takes headers from the field names; \\t written as two characters is a tab', () => {
    assert.equal(renderList('table {{.Service}}\\t{{upper .State}}', rows, layout), 'SERVICE    STATE\nweb        RUNNING\ndatabase   EXITED');
  });

  it('json and {{json .}} print one object per line; a template prints one line per row', () => {
    assert.equal(renderList('json', rows.slice(0, 1), layout), '{"Name":"p-web-1","State":"running","Service":"web"}');
    assert.equal(renderList('{{.Name}} {{.State}}', rows, layout), 'p-web-1 running\np-database-1 exited');
    assert.equal(renderList('{{.Name}}', [], layout), '');
  });

  it('a bad template is a usage error naming the format', () => {
    assert.throws(() => renderList('{{.Nope}}', rows, layout), (e: unknown) => e instanceof UsageError && /--format "\{\{\.Nope\}\}"/.test(e.message));
    assert.throws(() => renderList('{{if}}', rows, layout), UsageError);
  });

  it('tabwrite leaves the text after the last tab alone', () => {
    assert.equal(tabwrite('a\tbb\tlast\nccc\td', { minWidth: 2, padding: 1 }), 'a   bb last\ncccd'.replace('cccd', 'ccc d'));
  });
});
