import ArgumentParser
import CaseCore
import Foundation

struct TeamCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "team", abstract: "Teams and their assignment policies.",
                                                    subcommands: [List.self, Policy.self, Board.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List teams with their assignment policy and agents.")
        @Option var format: OutputFormat = .table
        @OptionGroup var store: StoreOptions
        func run() throws {
            let s = try store.open()
            let teams = try s.teams()
            let agents = try s.users(role: .agent)
            let rows = teams.map { t in (t, agents.filter { $0.teamId == t.id }.map(\.login)) }
            switch format {
            case .json:
                struct TeamJSON: Encodable { var name: String, policy: String, agents: [String] }
                print(try jsonString(rows.map { TeamJSON(name: $0.0.name, policy: $0.0.policy.rawValue, agents: $0.1) }))
            case .csv:
                print("name,policy,agents")
                for (t, a) in rows { printData([t.name, t.policy.rawValue, a.joined(separator: ";")].map(CaseExport.csvField).joined(separator: ",")) }
            case .table:
                print(table(["TEAM", "POLICY", "AGENTS"], rows.map { [$0.0.name, $0.0.policy.rawValue, $0.1.joined(separator: ", ")] }))
            }
        }
    }

    struct Policy: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set how a team's new and released cases are assigned (a lead for their team, or an admin).",
            discussion: "manual: they wait in the queue. round_robin: the next agent in turn. least_loaded: the agent with the fewest open cases. skills: the least loaded of the agents whose skills name the call type.")
        @Argument(help: "The team's name.") var team: String
        @Argument(help: "manual, round_robin, least_loaded or skills.") var policy: AssignmentPolicy
        @OptionGroup var store: StoreOptions
        func run() throws {
            try store.open().setPolicy(team: team, policy, by: store.login)
            print("\(team): \(policy.rawValue)")
        }
    }

    struct Board: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the lead board once: agents, queue depth per call type, cases at SLA risk (a lead or an admin).")
        @Option var format: OutputFormat = .table
        @OptionGroup var store: StoreOptions
        func run() throws {
            let s = try store.open()
            let board = try s.board(for: store.login)
            func state(_ s: AgentStatus.State) -> String {
                switch s {
                case .onCase(let id): "on case #\(id)"
                case .idle: "idle"
                case .away: "away"
                }
            }
            let iso = ISO8601DateFormatter()
            switch format {
            case .json:
                struct AgentJSON: Encodable { var login: String, name: String, state: String, caseId: Int64?, openCases: Int, handledToday: Int }
                struct DepthJSON: Encodable { var callType: String?, waiting: Int, oldest: Date? }
                struct RiskJSON: Encodable { var id: Int64, priority: String, dueAt: Date, callType: String?, assignee: String?, customer: String, subject: String }
                struct BoardJSON: Encodable { var team: String?, agents: [AgentJSON], depth: [DepthJSON], atRiskTotal: Int, atRisk: [RiskJSON] }
                let json = BoardJSON(
                    team: board.team,
                    agents: board.agents.map { a in
                        var caseId: Int64?
                        if case .onCase(let id) = a.state { caseId = id }
                        return AgentJSON(login: a.login, name: a.name, state: caseId == nil ? state(a.state) : "on_case", caseId: caseId,
                                         openCases: a.openCases, handledToday: a.handledToday)
                    },
                    depth: board.depth.map { DepthJSON(callType: $0.callType, waiting: $0.waiting, oldest: $0.oldest) },
                    atRiskTotal: board.atRiskTotal,
                    atRisk: board.atRisk.map { RiskJSON(id: $0.id, priority: $0.priority.description, dueAt: $0.dueAt, callType: $0.callType,
                                                        assignee: $0.assignee, customer: $0.customer, subject: $0.subject) })
                print(try jsonString(json))
            case .csv:
                print("section,key,value1,value2,value3")
                for a in board.agents {
                    printData(["agent", a.login, state(a.state), String(a.openCases), String(a.handledToday)].map(CaseExport.csvField).joined(separator: ","))
                }
                for d in board.depth {
                    printData(["depth", d.callType ?? "", String(d.waiting), d.oldest.map(iso.string(from:)) ?? "", ""].map(CaseExport.csvField).joined(separator: ","))
                }
                for r in board.atRisk {
                    printData(["at_risk", String(r.id), iso.string(from: r.dueAt), r.assignee ?? "", r.callType ?? ""].map(CaseExport.csvField).joined(separator: ","))
                }
            case .table:
                let time = try ShownTime(s)
                print("Board · \(board.team ?? "all teams")\n")
                print(table(["AGENT", "NAME", "STATE", "OPEN", "HANDLED TODAY"],
                            board.agents.map { [$0.login, $0.name, state($0.state), String($0.openCases), String($0.handledToday)] }))
                print("")
                print(table(["CALL TYPE", "WAITING", "OLDEST"],
                            board.depth.map { [$0.callType ?? "-", String($0.waiting), $0.oldest.map { time($0) } ?? "-"] }))
                print("")
                print("At SLA risk: \(board.atRiskTotal) case(s)" + (board.atRiskTotal > board.atRisk.count ? ", the first \(board.atRisk.count) listed" : ""))
                print(table(["AT RISK", "PRI", "DUE", "ASSIGNEE", "CALL TYPE", "CUSTOMER"],
                            board.atRisk.map { ["#\($0.id)", $0.priority.description, time($0.dueAt), $0.assignee ?? "-",
                                                $0.callType ?? "-", $0.customer] }))
            }
        }
    }
}

extension AssignmentPolicy: ExpressibleByArgument {}
