import urql from '@urql/vue';
import { createApp } from 'vue';
import App from './App.vue';
import { installAccessGuard } from './features/session/access';
import { fetchViewer } from './features/session/viewer';
import { createGraphqlClient } from './graphql/client';
import { i18n } from './i18n';
import { createLumenRouter } from './router';
import './styles.css';

const router = createLumenRouter();
const client = createGraphqlClient(() => void router.replace({ name: 'sign-in' }));
installAccessGuard(router, () => fetchViewer(client));

const app = createApp(App);
app.use(i18n);
app.use(router);
app.use(urql, client);
document.documentElement.lang = i18n.global.locale.value;
// Mount once the first route is known, so the page never renders the wrong layout first.
void router.isReady().then(() => app.mount('#app'));
