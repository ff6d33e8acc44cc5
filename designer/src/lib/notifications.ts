/** The caller's web notifications (the bell), for agents and customer users alike. */
import { request } from '$lib/api';

export interface WebNotification {
  id: number;
  event: string;
  ticketId: number | null;
  ticketNumber: string | null;
  articleId: number | null;
  title: string;
  body: string;
  createdAt: string;
  read: boolean;
}

export function listNotifications(limit = 20): Promise<{ items: WebNotification[]; unread: number }> {
  return request('GET', `/api/v1/notifications?limit=${limit}`);
}

export function markNotificationRead(id: number): Promise<void> {
  return request('POST', `/api/v1/notifications/${id}/read`);
}

export function markAllNotificationsRead(): Promise<void> {
  return request('POST', '/api/v1/notifications/read-all');
}
