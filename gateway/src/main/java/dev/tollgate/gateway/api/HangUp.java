package dev.tollgate.gateway.api;

import dev.tollgate.gateway.meter.RequestTrace;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;

/**
 * Watches a request's connection, until its answer is handed to the server, for the client
 * hanging up first (it gave up on a slow upstream or an overloaded gateway). Micronaut does not
 * cancel a response that is still being computed when its connection closes, so without this such
 * a request would be metered as answered. On a hang-up the request is metered as
 * {@code 499 client_disconnected}, still with the usage the upstream reports for the call it had
 * already started (that call is billed), and a stream being read stops forwarding and drains
 * ({@link #then}). Released once the answer is handed over, so a kept-alive connection does not
 * collect one listener per request.
 */
final class HangUp implements ChannelFutureListener {

    private final RequestTrace trace;
    @Nullable
    private final Channel channel;
    private volatile boolean happened;
    private volatile Runnable then;

    private HangUp(RequestTrace trace, @Nullable Channel channel) {
        this.trace = trace;
        this.channel = channel;
    }

    /** Starts watching the connection of {@code request} (requests not served by Netty are not watched). */
    static HangUp watch(HttpRequest<?> request, RequestTrace trace) {
        Channel channel = request instanceof NettyHttpRequest<?> netty ? netty.getChannelHandlerContext().channel() : null;
        HangUp hangUp = new HangUp(trace, channel);
        if (channel != null) {
            channel.closeFuture().addListener(hangUp);
        }
        return hangUp;
    }

    RequestTrace trace() {
        return trace;
    }

    /** Runs {@code action} when the client hangs up, at once if it already did; it may run twice, so it must be idempotent. */
    void then(Runnable action) {
        then = action;
        if (happened) {
            action.run();
        }
    }

    /** Stops watching: the answer is with the server, which sees a hang-up from here on. */
    void release() {
        if (channel != null) {
            channel.closeFuture().removeListener(this);
        }
    }

    @Override
    public void operationComplete(ChannelFuture future) {
        happened = true;
        trace.failed(499, "client_disconnected");
        Runnable action = then;
        if (action != null) {
            action.run();
        }
    }
}
