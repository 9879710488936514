package io.reapomni.childjvm;

import java.util.concurrent.CountDownLatch;

/** A child that logs but never announces itself, as a hung server would. */
public final class SilentMain {

    private SilentMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("starting, but never ready");
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
