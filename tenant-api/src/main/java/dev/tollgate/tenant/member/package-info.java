/**
 * Members of a tenant and invitations: admins invite by e-mail with a role (a mail with a
 * one-time link goes to the outbox; only the token's hash is stored), change roles and remove
 * members; only owners grant or take away the owner role, and the last owner always stays. The
 * invitee accepts with the token and a password of their choice.
 */
package dev.tollgate.tenant.member;
