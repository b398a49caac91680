print("casedesk")
