import urql from '@urql/vue';
import { createApp } from 'vue';

import App from './App.vue';
import { createGraphqlClient } from './graphql/client';
import { i18n } from './i18n';
import { createLumenRouter } from './router';
import { installAccessGuard } from './session/access';
import { useSession } from './session/session';
import { fetchViewer } from './session/viewer';
import { installOfflineNavigation } from './shell/offlineNavigation';

import './styles.css';

const router = createLumenRouter();
const client = createGraphqlClient(useSession(), () => void router.replace({ name: 'sign-in' }));
installAccessGuard(router, () => fetchViewer(client));
installOfflineNavigation(router);

const app = createApp(App);
app.use(i18n);
app.use(router);
app.use(urql, client);
document.documentElement.lang = i18n.global.locale.value;
// Mount once the first route is known, so the page never renders the wrong layout first.
void router.isReady().then(() => app.mount('#app'));
