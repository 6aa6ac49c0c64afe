import assert from 'node:assert/strict';
import { reconcileOptions } from '../../../src/cli/commands/up.js';
import { isTruthy } from '../../../src/config/environment.js';
import { envFlag, parseEnvBool } from '../../../src/model/env-bool.js';

describe('boolean environment words (Go strconv.ParseBool, as Compose reads them)', () => {
  it('reads the ParseBool words and nothing else', () => {
    for (const word of ['1', 't', 'T', 'TRUE', 'true', 'True']) assert.equal(parseEnvBool(word), true, word);
    for (const word of ['0', 'f', 'F', 'FALSE', 'false', 'False']) assert.equal(parseEnvBool(word), false, word);
    for (const word of ['on', 'yes', 'y', 'off', 'no', 'tRUE', '', '2']) assert.equal(parseEnvBool(word), undefined, word);
    assert.equal(parseEnvBool(undefined), undefined);
  });

  it('every reader agrees: COMPOSE_DISABLE_ENV_FILE, COMPOSE_REMOVE_ORPHANS, COMPOSE_IGNORE_ORPHANS', () => {
    for (const word of ['1', 'T', 'True', 'false', '0']) {
      const expected = envFlag({ V: word }, 'V');
      assert.equal(isTruthy(word), expected, `COMPOSE_DISABLE_ENV_FILE=${word}`);
      assert.equal(reconcileOptions({}, { COMPOSE_REMOVE_ORPHANS: word }, []).removeOrphans, expected, `COMPOSE_REMOVE_ORPHANS=${word}`);
      assert.equal(reconcileOptions({}, { COMPOSE_IGNORE_ORPHANS: word }, []).ignoreOrphans, expected, `COMPOSE_IGNORE_ORPHANS=${word}`);
    }
  });

  it('the CLI refuses a word that is not a boolean, naming the variable (Compose would read it as false)', () => {
    for (const word of ['on', 'yes', 'y']) {
      assert.throws(() => reconcileOptions({}, { COMPOSE_REMOVE_ORPHANS: word }, []), new RegExp(`COMPOSE_REMOVE_ORPHANS="${word}"`));
      assert.throws(() => reconcileOptions({}, { COMPOSE_IGNORE_ORPHANS: word }, []), new RegExp(`COMPOSE_IGNORE_ORPHANS="${word}"`));
    }
  });
});
