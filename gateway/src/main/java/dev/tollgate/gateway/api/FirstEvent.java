package dev.tollgate.gateway.api;

import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Waits for the first element of a stream before committing to it: the Mono completes with the
 * whole stream (first element included) once that element arrived, or fails if the stream fails
 * before it. The stream is subscribed once; backpressure and cancellation pass straight through
 * to it. This is what lets an upstream failure before the first byte become an HTTP error status
 * rather than a broken event stream.
 */
final class FirstEvent<T> implements Subscriber<T> {

    private final MonoSink<Flux<T>> sink;
    private Subscription upstream;
    private Subscriber<? super T> downstream;
    private T first;
    private boolean firstDelivered;
    private boolean handedOver;
    private boolean completed;
    private Throwable failure;
    private long pendingDemand;

    private FirstEvent(MonoSink<Flux<T>> sink) {
        this.sink = sink;
    }

    static <T> Mono<Flux<T>> await(Flux<T> source) {
        return Mono.create(sink -> {
            FirstEvent<T> gate = new FirstEvent<>(sink);
            sink.onCancel(gate::cancelUnclaimed);
            source.subscribe(gate);
        });
    }

    @Override
    public void onSubscribe(Subscription s) {
        synchronized (this) {
            upstream = s;
        }
        s.request(1);
    }

    @Override
    public void onNext(T item) {
        Subscriber<? super T> target;
        synchronized (this) {
            if (!handedOver) {
                first = item;
                handedOver = true;
                target = null;
            } else {
                target = downstream;
            }
        }
        if (target == null) {
            Publisher<T> rest = this::subscribeDownstream;
            sink.success(Flux.from(rest));
        } else {
            target.onNext(item);
        }
    }

    @Override
    public void onError(Throwable error) {
        Subscriber<? super T> target;
        synchronized (this) {
            if (!handedOver) {
                handedOver = true;
                target = null;
            } else {
                failure = error;
                target = firstDelivered ? downstream : null;
                if (target == null) {
                    return;
                }
            }
        }
        if (target == null) {
            sink.error(error);
        } else {
            target.onError(error);
        }
    }

    @Override
    public void onComplete() {
        Subscriber<? super T> target;
        synchronized (this) {
            if (!handedOver) {
                handedOver = true;
                target = null;
            } else {
                completed = true;
                target = firstDelivered ? downstream : null;
                if (target == null) {
                    return;
                }
            }
        }
        if (target == null) {
            sink.success(Flux.empty());
        } else {
            target.onComplete();
        }
    }

    private void cancelUnclaimed() {
        Subscription s;
        synchronized (this) {
            s = downstream == null ? upstream : null;
        }
        if (s != null) {
            s.cancel();
        }
    }

    private void subscribeDownstream(Subscriber<? super T> subscriber) {
        synchronized (this) {
            if (downstream != null) {
                subscriber.onSubscribe(new Subscription() {
                    @Override
                    public void request(long n) {
                    }

                    @Override
                    public void cancel() {
                    }
                });
                subscriber.onError(new IllegalStateException("a stream can be subscribed once"));
                return;
            }
            downstream = subscriber;
        }
        subscriber.onSubscribe(new Subscription() {
            @Override
            public void request(long n) {
                if (n <= 0) {
                    return;
                }
                T item = null;
                boolean deliverFirst = false;
                synchronized (FirstEvent.this) {
                    if (!firstDelivered) {
                        firstDelivered = true;
                        deliverFirst = true;
                        item = first;
                        first = null;
                        pendingDemand = n - 1;
                    }
                }
                if (deliverFirst) {
                    subscriber.onNext(item);
                    Throwable error;
                    boolean done;
                    long more;
                    synchronized (FirstEvent.this) {
                        error = failure;
                        done = completed;
                        more = pendingDemand;
                    }
                    if (error != null) {
                        subscriber.onError(error);
                    } else if (done) {
                        subscriber.onComplete();
                    } else if (more > 0) {
                        upstream.request(more);
                    }
                } else {
                    upstream.request(n);
                }
            }

            @Override
            public void cancel() {
                upstream.cancel();
            }
        });
    }
}
