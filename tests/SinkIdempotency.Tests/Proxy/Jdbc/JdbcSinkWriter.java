// Writes through a JDBC driver (pgjdbc, MariaDB Connector/J) the way the Confluent JDBC sink does, for the fault proxy's tests.
// Run as a single-file program: java -cp <driver.jar> JdbcSinkWriter.java <url> <table> <mode> <warm-up batches>
//   mode "transaction": autocommit off; per batch: a prepared INSERT added three times, executeBatch, commit.
//   mode "autocommit":  autocommit on; per batch: the same executeBatch, no commit.
// After the warm-up batches it prints "ready", waits for a line on standard input, writes one more batch and prints
// "timeout <call> <ms> <exception chain>" when the driver gives up waiting (socketTimeout in the URL) in executeBatch or
// commit, or "no-timeout".
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;

public final class JdbcSinkWriter {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        String table = args[1];
        boolean transaction = args[2].equals("transaction");
        int warmUps = Integer.parseInt(args[3]);
        Connection connection = DriverManager.getConnection(url);
        connection.setAutoCommit(!transaction);
        PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table + " (batch, seq) VALUES (?, ?)");
        for (int batch = 1; batch <= warmUps; batch++) {
            write(connection, insert, batch, transaction);
            System.out.println("written " + batch);
        }

        if (url.startsWith("jdbc:postgresql:")) {
            // pgjdbc only: whether the insert now runs as a named server-side statement (after prepareThreshold executions).
            Class<?> pgStatement = Class.forName("org.postgresql.PGStatement");
            System.out.println("server-prepared " + pgStatement.getMethod("isUseServerPrepare").invoke(insert.unwrap(pgStatement)));
        }

        System.out.println("ready");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        if (in.readLine() == null) {
            System.out.println("no-go");
            System.exit(2);
        }

        long start = System.nanoTime();
        String call = "executeBatch";
        try {
            add(insert, warmUps + 1);
            insert.executeBatch();
            if (transaction) {
                call = "commit";
                connection.commit();
            }

            System.out.println("no-timeout");
            System.exit(1);
        } catch (SQLException e) {
            StringBuilder chain = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                chain.append(' ').append(t.getClass().getName());
            }

            System.out.println("timeout " + call + " " + (System.nanoTime() - start) / 1_000_000 + chain);
            System.out.flush();
        }

        try {
            connection.close();
        } catch (SQLException alreadyBroken) {
            // The driver closed the connection when it timed out.
        }
    }

    private static void add(PreparedStatement insert, int batch) throws SQLException {
        for (int seq = 1; seq <= 3; seq++) {
            insert.setInt(1, batch);
            insert.setInt(2, seq);
            insert.addBatch();
        }
    }

    private static void write(Connection connection, PreparedStatement insert, int batch, boolean transaction) throws SQLException {
        add(insert, batch);
        insert.executeBatch();
        if (transaction) {
            connection.commit();
        }
    }
}
