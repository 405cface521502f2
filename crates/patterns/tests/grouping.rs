//! Grouping and templates on realistic lines in the style of public log corpora
//! (loghub's HDFS, OpenSSH and Apache samples; Spring Boot's console layout).

use apitriage_patterns::{Miner, MinerConfig};

fn mine(lines: &[&str]) -> (Miner, Vec<usize>) {
    let mut miner = Miner::new(MinerConfig::default());
    let clusters = lines.iter().map(|line| miner.add(line)).collect();
    (miner, clusters)
}

#[test]
fn hdfs_receiving_lines_differing_in_block_and_addresses_share_a_template() {
    let (miner, c) = mine(&[
        "Receiving block blk_-1608999687919862906 src: /10.250.19.102:54106 dest: /10.250.19.102:50010",
        "Receiving block blk_7503483334202473044 src: /10.251.215.16:55695 dest: /10.251.215.16:50010",
    ]);
    assert_eq!(c[0], c[1]);
    assert_eq!(
        miner.template(c[0]),
        "Receiving block blk_<*> src: /<*> dest: /<*>"
    );
    assert_eq!(miner.count(c[0]), 2);
}

#[test]
fn hdfs_lines_with_headers_group_by_event() {
    let (miner, c) = mine(&[
        "081109 203518 143 INFO dfs.DataNode$DataXceiver: Receiving block blk_-1608999687919862906 src: /10.250.19.102:54106 dest: /10.250.19.102:50010",
        "081109 203518 35 INFO dfs.FSNamesystem: BLOCK* NameSystem.allocateBlock: /mnt/hadoop/mapred/system/job_200811092030_0001/job.jar. blk_-1608999687919862906",
        "081109 203519 143 INFO dfs.DataNode$DataXceiver: Receiving block blk_-1608999687919862906 src: /10.250.10.6:40524 dest: /10.250.10.6:50010",
        "081109 203519 145 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_-1608999687919862906 terminating",
        "081109 203519 145 INFO dfs.DataNode$PacketResponder: Received block blk_-1608999687919862906 of size 91178 from /10.250.10.6",
        "081109 203520 142 INFO dfs.DataNode$PacketResponder: PacketResponder 2 for block blk_7503483334202473044 terminating",
        "081109 203521 19 INFO dfs.FSNamesystem: BLOCK* NameSystem.addStoredBlock: blockMap updated: 10.250.10.6:50010 is added to blk_-1608999687919862906 size 91178",
        "081109 203523 148 INFO dfs.DataNode$PacketResponder: Received block blk_7503483334202473044 of size 67108864 from /10.251.215.16",
        "081109 203524 18 INFO dfs.FSNamesystem: BLOCK* NameSystem.addStoredBlock: blockMap updated: 10.251.215.16:50010 is added to blk_7503483334202473044 size 67108864",
    ]);
    assert_eq!(c[0], c[2]);
    assert_eq!(c[3], c[5]);
    assert_eq!(c[4], c[7]);
    assert_eq!(c[6], c[8]);
    let distinct: std::collections::BTreeSet<_> = [c[0], c[1], c[3], c[4], c[6]].into();
    assert_eq!(distinct.len(), 5);
    assert_eq!(
        miner.template(c[3]),
        "<*> <*> <*> INFO dfs.DataNode$PacketResponder: PacketResponder <*> for block blk_<*> terminating"
    );
    assert_eq!(
        miner.template(c[6]),
        "<*> <*> <*> INFO dfs.FSNamesystem: BLOCK* NameSystem.addStoredBlock: blockMap updated: <*> is added to blk_<*> size <*>"
    );
}

#[test]
fn openssh_failed_passwords_group_by_shape() {
    let (miner, c) = mine(&[
        "Dec 10 06:55:46 LabSZ sshd[24200]: Failed password for invalid user admin from 183.62.140.253 port 38927 ssh2",
        "Dec 10 06:55:48 LabSZ sshd[24200]: Connection closed by 183.62.140.253 [preauth]",
        "Dec 10 07:02:47 LabSZ sshd[24203]: Failed password for invalid user webmaster from 173.234.31.186 port 38926 ssh2",
        "Dec 10 07:07:38 LabSZ sshd[24206]: Invalid user test9 from 52.80.34.196",
        "Dec 10 07:08:28 LabSZ sshd[24208]: Failed password for root from 112.95.230.3 port 50902 ssh2",
        "Dec 10 07:11:42 LabSZ sshd[24224]: Invalid user chen from 202.100.179.208",
        "Dec 10 07:13:43 LabSZ sshd[24227]: Connection closed by 5.36.59.76 [preauth]",
    ]);
    assert_eq!(c[0], c[2]);
    assert_eq!(c[1], c[6]);
    assert_eq!(c[3], c[5]);
    assert_ne!(c[0], c[4], "different token counts are different events");
    assert_ne!(c[1], c[3], "same length, too little in common");
    assert_eq!(
        miner.template(c[0]),
        "<*> LabSZ sshd[<*>]: Failed password for invalid user <*> from <*> port <*> ssh2"
    );
    assert_eq!(
        miner.template(c[3]),
        "<*> LabSZ sshd[<*>]: Invalid user <*> from <*>"
    );
    assert_eq!(
        miner.template(c[1]),
        "<*> LabSZ sshd[<*>]: Connection closed by <*> [preauth]"
    );
}

#[test]
fn apache_error_log_groups_by_message() {
    let (miner, c) = mine(&[
        "[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok /etc/httpd/conf/workers2.properties",
        "[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6",
        "[Sun Dec 04 04:51:08 2005] [notice] jk2_init() Found child 6725 in scoreboard slot 10",
        "[Sun Dec 04 04:51:09 2005] [notice] jk2_init() Found child 6726 in scoreboard slot 8",
        "[Mon Dec 05 06:01:00 2005] [error] mod_jk child workerEnv in error state 7",
        "[Mon Dec 05 07:57:02 2005] [error] [client 61.138.216.82] File does not exist: /var/www/html/robots.txt",
        "[Mon Dec 05 09:15:31 2005] [error] [client 222.166.160.184] File does not exist: /var/www/html/favicon.ico",
        "[Mon Dec 05 10:01:55 2005] [notice] workerEnv.init() ok /etc/httpd/conf/workers2.properties",
    ]);
    assert_eq!(c[0], c[7]);
    assert_eq!(c[1], c[4]);
    assert_eq!(c[2], c[3]);
    assert_eq!(c[5], c[6]);
    assert_eq!(
        miner.template(c[1]),
        "[<*>] [error] mod_jk child workerEnv in error state <*>"
    );
    assert_eq!(
        miner.template(c[2]),
        "[<*>] [notice] jk2_init() Found child <*> in scoreboard slot <*>"
    );
    assert_eq!(
        miner.template(c[5]),
        "[<*>] [error] [client <*>] File does not exist: <*>"
    );
    assert_eq!(
        miner.template(c[0]),
        "[<*>] [notice] workerEnv.init() ok /etc/httpd/conf/workers2.properties"
    );
}

#[test]
fn spring_boot_lines_group_by_logger_and_message() {
    let (miner, c) = mine(&[
        "2024-03-12 10:15:32.123  INFO 4711 --- [nio-8080-exec-1] c.e.orders.web.OrderController           : Created order 8f14e45f-ceea-467f-a0e6-6b1f1e7c9a21 for customer 1042 in 37ms",
        "2024-03-12 10:15:34.789  WARN 4711 --- [nio-8080-exec-7] com.zaxxer.hikari.pool.HikariPool        : HikariPool-1 - Connection is not available, request timed out after 30005ms.",
        "2024-03-12 10:15:35.002  INFO 4711 --- [nio-8080-exec-3] c.e.orders.web.OrderController           : Created order 45c48cce-2e2d-4fbd-a2f4-01c8a1b2c3d4 for customer 77 in 1.2s",
        "2024-03-12 10:15:36.420  WARN 4711 --- [nio-8080-exec-2] com.zaxxer.hikari.pool.HikariPool        : HikariPool-1 - Connection is not available, request timed out after 30001ms.",
        "2024-03-12 10:15:37.001 ERROR 4711 --- [nio-8080-exec-9] c.e.orders.client.PaymentClient          : Call to payments failed: status=503 attempt=2/3 latency=1200ms",
        "2024-03-12 10:15:38.555 ERROR 4711 --- [nio-8080-exec-4] c.e.orders.client.PaymentClient          : Call to payments failed: status=504 attempt=3/3 latency=30000ms",
    ]);
    assert_eq!(c[0], c[2]);
    assert_eq!(c[1], c[3]);
    assert_eq!(c[4], c[5]);
    assert_eq!(
        miner.template(c[0]),
        "<*> INFO <*> --- [nio-<*>-exec-<*>] c.e.orders.web.OrderController : Created order <*> for customer <*> in <*>"
    );
    assert_eq!(
        miner.template(c[4]),
        "<*> ERROR <*> --- [nio-<*>-exec-<*>] c.e.orders.client.PaymentClient : Call to payments failed: status=<*> attempt=<*> latency=<*>"
    );
    // `attempt=2/3` is one compound value (see `mask`), a single `<*>`.
}

#[test]
fn unmasked_variables_become_wildcards_by_similarity() {
    let (miner, c) = mine(&[
        "user alice logged in from web",
        "user bob logged in from mobile",
        "user carol logged out",
    ]);
    assert_eq!(c[0], c[1]);
    assert_ne!(c[0], c[2]);
    assert_eq!(miner.template(c[0]), "user <*> logged in from <*>");
}

#[test]
fn similarity_threshold_is_configurable() {
    let lines = [
        "cache miss for key orders in region eu",
        "cache hit for key orders in region eu",
        "disk full on volume data in region eu",
    ];
    let mut strict = Miner::new(MinerConfig {
        similarity: 0.95,
        ..MinerConfig::default()
    });
    let strict_clusters: Vec<_> = lines.iter().map(|l| strict.add(l)).collect();
    assert_ne!(strict_clusters[0], strict_clusters[1]);
    let mut loose = Miner::new(MinerConfig {
        similarity: 0.3,
        depth: 3,
        ..MinerConfig::default()
    });
    let loose_clusters: Vec<_> = lines.iter().map(|l| loose.add(l)).collect();
    assert_eq!(loose_clusters[0], loose_clusters[1]);
    assert_eq!(loose_clusters[0], loose_clusters[2]);
}

#[test]
fn empty_and_blank_lines_form_one_empty_template() {
    let (miner, c) = mine(&["", "   ", "\t"]);
    assert_eq!(c[0], c[1]);
    assert_eq!(c[0], c[2]);
    assert_eq!(miner.template(c[0]), "");
}

#[test]
fn find_matches_without_learning() {
    let (miner, c) = mine(&[
        "Connection closed by 183.62.140.253 [preauth]",
        "Connection closed by 5.36.59.76 [preauth]",
    ]);
    assert_eq!(
        miner.find("Connection closed by 10.0.0.1 [preauth]"),
        Some(c[0])
    );
    assert_eq!(miner.find("Connection reset by 10.0.0.1 [preauth]"), None);
    assert_eq!(miner.count(c[0]), 2);
}

#[test]
fn unknown_cluster_indices_answer_empty() {
    let (miner, _) = mine(&["a b c"]);
    assert_eq!(miner.template(99), "");
    assert_eq!(miner.id(99), "");
    assert_eq!(miner.count(99), 0);
}
