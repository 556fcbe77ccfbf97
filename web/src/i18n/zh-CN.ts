import type en from './en';
import type { Messages } from './index';

const zhCN: Messages<typeof en> = {
  app: {
    name: 'Lumen',
    tagline: '大模型应用可观测平台',
  },
  nav: {
    logs: '日志',
    signOut: '退出登录',
    language: '语言',
  },
  signIn: {
    title: '登录 Lumen',
    intro: '请输入 API 密钥。服务首次启动时打印的密钥为管理员密钥。',
    key: 'API 密钥',
    placeholder: 'lmn_…',
    submit: '登录',
    checking: '正在验证…',
    invalid: '该密钥不存在或已被吊销。',
    unreachable: 'Lumen 服务无响应，请确认服务已启动。',
    required: '请输入密钥。',
  },
  logs: {
    title: '最新日志',
    refresh: '刷新',
    loadMore: '加载更多',
    loading: '正在加载日志…',
    empty: '暂无日志。',
    emptyHint: '通过 ingestLogs 变更发送模型调用日志后，日志会显示在这里。',
    error: '日志加载失败。',
    retry: '重试',
    columns: {
      time: '时间',
      app: '应用',
      provider: '供应商',
      model: '模型',
      status: '状态',
      latency: '延迟',
      tokens: 'Token（输入 / 输出）',
      cost: '费用',
      user: '用户',
    },
    unpriced: '未定价',
    status: { SUCCESS: '成功', ERROR: '失败' },
  },
  units: {
    ms: '{value} 毫秒',
  },
};

export default zhCN;
