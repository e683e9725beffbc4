package io.cmpay;

/**
 * Run in a child JVM by {@link SandboxTest#clientFromEnv()} (a JVM cannot set its own
 * environment): makes a client from the environment, queries an order that does not exist, and
 * prints what happened on one line.
 */
public final class EnvProbe {
    private EnvProbe() {
    }

    public static void main(String[] args) {
        try (Client c = Client.fromEnv()) {
            c.queryOrder(args[0]).close();
            System.out.println("answered");
        } catch (CmpayGatewayException e) {
            System.out.println("gateway " + e.returnCode());
        } catch (CmpayException e) {
            System.out.println(e.getClass().getSimpleName() + " " + e.getMessage());
        }
    }
}
