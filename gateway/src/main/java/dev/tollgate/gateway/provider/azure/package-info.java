/**
 * Azure OpenAI: OpenAI's wire format addressed by deployment ({@code {base}/deployments/{d}/…?api-version=})
 * with an {@code api-key} header. The model name the router hands over is the deployment name.
 */
package dev.tollgate.gateway.provider.azure;
