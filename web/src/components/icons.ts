export type IconName =
  | 'logs'
  | 'costs'
  | 'keys'
  | 'send'
  | 'signOut'
  | 'globe'
  | 'clock'
  | 'close'
  | 'copy'
  | 'check'
  | 'refresh'
  | 'plus'
  | 'trash'
  | 'edit'
  | 'warning'
  | 'filter'
  | 'search'
  | 'feedback'
  | 'thumbUp'
  | 'thumbDown'
  | 'external'
  | 'undo'
  | 'dashboard'
  | 'bell'
  | 'traces'
  | 'sessions'
  | 'users'
  | 'menu';

// 24×24 strokes, drawn for Lumen; circles are written as two arcs.
export const ICON_PATHS: Record<IconName, string> = {
  logs: 'M8 6h13M8 12h13M8 18h13M3.5 6h.01M3.5 12h.01M3.5 18h.01',
  costs:
    'M21 12a9 9 0 1 1-18 0a9 9 0 1 1 18 0M14.8 9.2A2.8 2.2 0 0 0 12 8h-.6a2 2 0 0 0 0 4h1.2a2 2 0 0 1 0 4H12a2.8 2.2 0 0 1-2.8-1.2M12 6v2M12 16v2',
  keys: 'M12 15.5a4.5 4.5 0 1 1-9 0a4.5 4.5 0 1 1 9 0M10.7 12.3 20 3M16.5 6.5l3 3M14 9l2 2',
  send: 'M22 2 11 13M22 2l-7 20-4-9-9-4 20-7z',
  signOut: 'M9 21H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h4M16 17l5-5-5-5M21 12H9',
  globe: 'M21 12a9 9 0 1 1-18 0a9 9 0 1 1 18 0M3 12h18M12 3a14 14 0 0 1 0 18M12 3a14 14 0 0 0 0 18',
  clock: 'M21 12a9 9 0 1 1-18 0a9 9 0 1 1 18 0M12 7v5l3 2',
  close: 'M18 6 6 18M6 6l12 12',
  menu: 'M4 6h16M4 12h16M4 18h16',
  copy: 'M9 9h11v11H9zM5 15H4V4h11v1',
  check: 'M20 6 9 17l-5-5',
  refresh: 'M20.5 12a8.5 8.5 0 1 1-2.5-6l2.5 2.5M20.5 3.5v5h-5',
  plus: 'M12 5v14M5 12h14',
  trash: 'M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3',
  edit: 'M4 20h4L19 9l-4-4L4 16v4zM13.5 6.5l4 4',
  warning: 'M12 3 2 20h20L12 3zM12 10v4.5M12 17.5h.01',
  filter: 'M3 5h18l-7 8.5V19l-4 2v-7.5L3 5z',
  search: 'M17 11a6 6 0 1 1-12 0a6 6 0 1 1 12 0M20 20l-4.5-4.5',
  feedback: 'M4 5h16v11H9l-5 4V5zM8 9h8M8 12h5',
  thumbUp: 'M7 11v9H4v-9h3zM7 11l4-8c1.7 0 2.8 1.2 2.5 2.9L13 9h5.5a2 2 0 0 1 2 2.3l-1.2 7a2 2 0 0 1-2 1.7H7',
  thumbDown: 'M7 13V4H4v9h3zM7 13l4 8c1.7 0 2.8-1.2 2.5-2.9L13 15h5.5a2 2 0 0 0 2-2.3l-1.2-7a2 2 0 0 0-2-1.7H7',
  external: 'M14 4h6v6M20 4l-9 9M18 14v5a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1h5',
  undo: 'M9 14 4 9l5-5M4 9h10a6 6 0 0 1 0 12h-3',
  dashboard: 'M4 4h7v9H4zM13 4h7v5h-7zM13 11h7v9h-7zM4 15h7v5H4z',
  bell: 'M6 16v-5a6 6 0 1 1 12 0v5l2 2H4l2-2zM10 20.5a2 2 0 0 0 4 0',
  traces: 'M3 5h9M6 10h11M9 15h8M6 20h6',
  sessions: 'M3 4h13v9H8l-5 4V4zM20 8v11l-4-3h-6',
  users: 'M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM2 21v-1a6 6 0 0 1 6-6h2a6 6 0 0 1 6 6v1M16 3.5a4 4 0 0 1 0 7.5M22 21v-1a6 6 0 0 0-4-5.6',
};
