import { createStore } from '../../../src/store/create-store.ts';
import { dropSchema, testDatabaseUrl, uniqueSchema } from '../../helpers/pg.ts';
import { describeStoreSuite, suiteAuditKey } from './store-suite.ts';

describeStoreSuite('pg', async () => {
  const schema = uniqueSchema('store');
  const open = () =>
    createStore({ kind: 'pg', url: testDatabaseUrl, schema, poolSize: 5, auditKey: suiteAuditKey });
  const store = await open();
  return {
    store,
    openSecond: open,
    async cleanup() {
      await store.close();
      await dropSchema(testDatabaseUrl, schema);
    },
  };
});
